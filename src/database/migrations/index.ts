import { Foundation1764100000000 } from './1764100000000-foundation';
import { Datasources1764100001000 } from './1764100001000-datasources';
import { Catalog1764100002000 } from './1764100002000-catalog';
import { Tasks1764100003000 } from './1764100003000-tasks';
import { Webhooks1764100004000 } from './1764100004000-webhooks';
import { Dolphinscheduler1764100005000 } from './1764100005000-dolphinscheduler';
import { Annotations1764100008000 } from './1764100008000-annotations';
import { Lineage1764100019000 } from './1764100019000-lineage';
import { AnnotationSuggestions1764100020000 } from './1764100020000-annotation-suggestions';

/** Every migration, in order. A feature adds its own file and one line here. */
export const MIGRATIONS = [
  Foundation1764100000000,
  Datasources1764100001000,
  Catalog1764100002000,
  Tasks1764100003000,
  Webhooks1764100004000,
  Dolphinscheduler1764100005000,
  Annotations1764100008000,
  Lineage1764100019000,
  AnnotationSuggestions1764100020000,
];
