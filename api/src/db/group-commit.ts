/**
 * Group commit: the write requests a server handles in one turn of the event loop share one
 * transaction, committed once at the end of the turn, and none is answered before that commit.
 *
 * Each use-case still runs in its own `inTransaction` (a SAVEPOINT inside the group's transaction):
 * one that fails is rolled back alone, and the others keep their writes. Numbering stays gapless
 * (numbers are taken inside the savepoint, on the one connection) and every acknowledged write is
 * committed, as before; what changes is that 50 clients issuing at once pay for a few commits per
 * turn instead of one per request (the commit writes the changed pages to the WAL, and at
 * `synchronous = FULL` waits for the disk).
 *
 * Only the synchronous part of a write route's handler joins the group (`joinWrites`, see
 * http/router.ts); anything else that opens a transaction while a group is open (a worker, a
 * script, a test calling a service) commits the group first and runs on its own, and a read
 * route's handler commits it before reading, so no answer is built from writes not yet committed.
 * A connection takes part only once `groupCommits(db)` was called (the server's does, see deps.ts).
 */
import { isPostgres, type Db } from "./connection.js";

// taken when the module loads: tests that fake the timers must not hold a commit back
const atEndOfTurn = setImmediate;

interface Group {
  db: Db;
  committed: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const grouped = new WeakSet<Db>();
const open = new Map<Db, Group>();
/** The groups the handler running now wrote into; null outside a write route's handler. */
let joining: Set<Group> | null = null;

/** Lets the write routes' transactions on `db` share a commit per turn of the event loop. */
export function groupCommits(db: Db): Db {
  // PostgreSQL commits each transaction on its own: its commits do not serialize a process's writes
  if (!isPostgres(db)) grouped.add(db);
  return db;
}

function begin(db: Db): Group {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const committed = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  committed.catch(() => undefined); // the handlers that wrote into it see the failure; nobody else must
  db.exec("BEGIN IMMEDIATE");
  const group = { db, committed, resolve, reject };
  open.set(db, group);
  atEndOfTurn(() => {
    if (open.get(db) === group) commit(group);
  });
  return group;
}

function commit(group: Group): void {
  open.delete(group.db);
  try {
    group.db.exec("COMMIT");
    group.resolve();
  } catch (error) {
    if (group.db.inTransaction) group.db.exec("ROLLBACK");
    group.reject(error);
  }
}

/** Called by `inTransaction` before it starts: joins (or opens) the group, or commits it first. */
export function beforeTransaction(db: Db): void {
  if (!grouped.has(db)) return;
  let group = open.get(db);
  if (group && !db.inTransaction) {
    // SQLite rolled the whole transaction back (an I/O error, a full disk): its writers must fail
    commit(group);
    group = undefined;
  }
  if (joining) {
    if (group) joining.add(group);
    else if (!db.inTransaction) joining.add(begin(db));
  } else if (group) {
    commit(group);
  }
}

/** Commits every open group now (before a read route answers). */
export function commitWrites(): void {
  for (const group of [...open.values()]) commit(group);
}

/**
 * Runs a write route's handler: the transactions of its synchronous part join the group of this
 * turn, and its answer waits for that group's commit (a failed commit fails the request).
 */
export function joinWrites<T>(handler: () => T): T | Promise<Awaited<T>> {
  const outer = joining;
  const mine = new Set<Group>();
  joining = mine;
  let result: T;
  try {
    result = handler();
  } finally {
    joining = outer;
    if (outer) for (const group of mine) outer.add(group);
  }
  if (mine.size === 0) return result;
  // the handler's own promise is awaited alongside, so a failure of it is handled at once
  return Promise.all([result, ...[...mine].map((g) => g.committed)]).then(([answer]) => answer as Awaited<T>);
}
