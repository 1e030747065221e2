// The test profile a preview personalizes with: the sandbox's test profiles, one picked in a select.
import { useEffect, useState, type ReactElement } from 'react';
import type { Profile, ProfileList } from '../api/types.ts';
import { useApi } from '../app/session.tsx';

/** `pickFirst`: the first test profile is chosen once they are loaded (else no profile). */
export function useTestProfile(pickFirst = false): {
  profile: Profile | undefined;
  picker: ReactElement;
} {
  const api = useApi();
  const [profiles, setProfiles] = useState<Profile[]>([]);
  const [id, setId] = useState('');
  useEffect(() => {
    void api.get<ProfileList>('/v1/profiles').then(
      (r) => {
        const tests = r.items.filter((x) => x.testProfile);
        setProfiles(tests);
        if (pickFirst && tests[0]) setId((had) => had || tests[0]!.id);
      },
      () => undefined,
    );
  }, [api, pickFirst]);
  const picker = (
    <label>
      Test profile
      <select value={id} onChange={(e) => setId(e.target.value)}>
        <option value="">No profile</option>
        {profiles.map((x) => (
          <option key={x.id} value={x.id}>
            {x.identities[0]?.id ?? x.id}
          </option>
        ))}
      </select>
    </label>
  );
  return { profile: profiles.find((x) => x.id === id), picker };
}
