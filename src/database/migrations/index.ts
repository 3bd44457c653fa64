import { Foundation1764100000000 } from './1764100000000-foundation';

/** Every migration, in order. A feature adds its own file and one line here. */
export const MIGRATIONS = [Foundation1764100000000];
