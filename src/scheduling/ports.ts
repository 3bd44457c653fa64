/**
 * The tasks table as the schedulers see it: a repository of the columns they read and write
 * (next firing, external refs, the change lock). The tasks feature binds it to its entity.
 */
export const TASK_ROWS = Symbol('scheduling:task-rows');
