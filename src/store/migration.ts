// The shape of one versioned migration; each domain module owns the migrations of its tables.
import type { Kysely } from 'kysely';
import type { DialectName } from './db.js';

export interface MigrationSpec {
  /** Globally ordered name, e.g. '0003_directory'. Never rename or edit one that has shipped. */
  readonly name: string;
  up(db: Kysely<any>, dialect: DialectName): Promise<void>;
}

/** Column type for a JSON document. */
export const jsonColumn = (dialect: DialectName) => (dialect === 'postgres' ? 'jsonb' : 'text');
