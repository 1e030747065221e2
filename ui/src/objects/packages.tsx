// Packages: export a journey and what it uses (or the whole sandbox), import a package with a choice
// per conflict, then see what happened and what is left to do.
import { useState } from 'react';
import { usePageTitle } from '../app/page-title.ts';
import { useCan } from '../app/permissions.tsx';
import { PackageExport } from './package-export.tsx';
import { PackageImport } from './package-import.tsx';
import './objects.css';
import { HelpLink } from '../app/help-link.tsx';

export function Packages() {
  usePageTitle('Packages');
  const [text, setText] = useState('');
  const mayExport = useCan('packages.export');
  const mayImport = useCan('packages.import');
  return (
    <section className="page packages">
      <div className="page-head">
        <h1>Packages</h1>
        <HelpLink topic="packages" />
      </div>
      <div className="two-cols">
        {mayExport && <PackageExport onCopy={setText} />}
        {mayImport && <PackageImport text={text} onText={setText} />}
      </div>
    </section>
  );
}
