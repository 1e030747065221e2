// Objects: versioned JSON documents by sandbox, kind and key (the catalog, settings, access data).
export interface StoredObject<T = unknown> {
  readonly sandbox: string;
  readonly kind: string;
  readonly key: string;
  readonly body: T;
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ObjectRepository {
  getObject<T>(sandbox: string, kind: string, key: string): Promise<StoredObject<T> | null>;
  listObjects<T>(sandbox: string, kind: string): Promise<Array<StoredObject<T>>>;
  /** Creates or replaces; returns the stored object with its new revision. */
  putObject<T>(
    sandbox: string,
    kind: string,
    key: string,
    body: T,
    now: string,
  ): Promise<StoredObject<T>>;
  deleteObject(sandbox: string, kind: string, key: string): Promise<boolean>;
  /** Every object of a kind, in every sandbox (sandbox, key order): for maintenance such as re-encrypting secrets. */
  listObjectsOfKind<T>(kind: string): Promise<Array<StoredObject<T>>>;
  /** Replaces the body only if the stored revision is still `revision` (one atomic statement); false if it moved on or is gone. */
  replaceObjectIfRevision<T>(
    sandbox: string,
    kind: string,
    key: string,
    revision: number,
    body: T,
    now: string,
  ): Promise<boolean>;
}
