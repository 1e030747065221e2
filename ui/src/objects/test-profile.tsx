// The test profile a preview personalizes with: the sandbox's test profiles, one picked in a select.
import { useEffect, useState, type ReactElement } from 'react';
import type { Profile, ProfileList } from '../api/types.ts';
import { useApi } from '../app/session.tsx';

export function useTestProfile(): { profile: Profile | undefined; picker: ReactElement } {
  const api = useApi();
  const [profiles, setProfiles] = useState<Profile[]>([]);
  const [id, setId] = useState('');
  useEffect(() => {
    void api.get<ProfileList>('/v1/profiles').then(
      (r) => setProfiles(r.items.filter((x) => x.testProfile)),
      () => undefined,
    );
  }, [api]);
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
