// "Create journey": a name (and an id derived from it). The draft is saved once it has an activity.
import { useState } from 'react';
export const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'journey';

export function CreateJourney(props: {
  existing: string[];
  onCancel(): void;
  onCreate(id: string, name: string): void;
}) {
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const finalId = id || slug(name);
  const taken = props.existing.includes(finalId);
  return (
    <form
      className="card create-journey"
      aria-label="Create journey"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim() && !taken) props.onCreate(finalId, name.trim());
      }}
    >
      <label>
        Name
        <input
          name="name"
          autoFocus
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label>
        Id
        <input
          name="id"
          value={id}
          placeholder={slug(name)}
          onChange={(e) => setId(e.target.value)}
          pattern="[a-z0-9][a-z0-9-]{0,79}"
        />
      </label>
      {taken && <p className="error">A journey with the id "{finalId}" exists.</p>}
      <div className="row">
        <button className="primary" type="submit">
          Save
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
