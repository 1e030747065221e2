// STUB: the page is written by helper D2.
export function RolesPage(_props: { selected?: string }) {
  return <section className="page"><h1>Coming soon</h1></section>;
}
