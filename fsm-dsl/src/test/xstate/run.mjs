// Runs one JSON machine in the real XState (v5, pinned in package.json) over many event sequences,
// for XStateConformanceTest, which runs the same machine and sequences in Stator and compares.
//
//   node run.mjs INPUT.json > OUTPUT.json
//
// INPUT:  { "machine": <XState machine configuration>,
//           "sequences": [ [ {"send": "EVENT"} | {"advance": milliseconds}, ... ], ... ] }
// OUTPUT: { "runs": [ [ step, ... ], ... ] }, one run per sequence: the initial step (the actor
//         started), then one step per input until the machine is done.
//         step = { "leaves": [...], "tags": [...], "done": bool, "actions": [...] }
//
// Actions and guards are recording no-ops that follow the harness convention, the same on the
// Java side: every action appends its name to the step's "actions"; an action named setX, clearX
// or toggleX also sets, clears or toggles flag X; a guard named isX holds when flag X is set,
// notX when it is not, "yes" always and "no" never. Every other guard name is an error.
//
// Time is XState's SimulatedClock, moved from one due timer to the next (each timer fires at its
// own deadline, as on Stator's TestLoop), then to the target time.
import { createActor, createMachine, SimulatedClock } from 'xstate';
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const config = input.machine;

const actionNames = new Set();
const guardNames = new Set();
const nameOf = (value) => (typeof value === 'string' ? value : value && value.type);

function collect(node) {
  if (Array.isArray(node)) {
    node.forEach(collect);
    return;
  }
  if (node === null || typeof node !== 'object') {
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'meta' || key === 'context') {
      continue;
    }
    if (key === 'entry' || key === 'exit' || key === 'actions') {
      for (const action of [].concat(value)) {
        actionNames.add(nameOf(action));
      }
    } else if (key === 'guard' || key === 'cond') {
      guardNames.add(nameOf(value));
    } else {
      collect(value);
    }
  }
}
collect(config);

let flags = new Set();
let log = [];

const actions = {};
for (const name of actionNames) {
  const match = /^(set|clear|toggle)(.+)$/.exec(name);
  actions[name] = () => {
    log.push(name);
    if (match) {
      const [, verb, flag] = match;
      if (verb === 'set' || (verb === 'toggle' && !flags.has(flag))) {
        flags.add(flag);
      } else {
        flags.delete(flag);
      }
    }
  };
}
const guards = {};
for (const name of guardNames) {
  const match = /^(is|not)(.+)$/.exec(name);
  if (name === 'yes') {
    guards[name] = () => true;
  } else if (name === 'no') {
    guards[name] = () => false;
  } else if (match) {
    guards[name] = () => flags.has(match[2]) === (match[1] === 'is');
  } else {
    throw new Error(`guard "${name}" does not follow the harness convention (isX, notX, yes, no)`);
  }
}

const machine = createMachine(config, { actions, guards });

function leaves(value, prefix, out) {
  if (typeof value === 'string') {
    out.push(prefix + value);
  } else {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix) {
      out.push(prefix.slice(0, -1));
    }
    for (const key of keys) {
      leaves(value[key], prefix + key + '/', out);
    }
  }
  return out;
}

function step(actor) {
  const snapshot = actor.getSnapshot();
  if (snapshot.status === 'error') {
    throw snapshot.error;
  }
  const result = {
    leaves: leaves(snapshot.value, '', []).sort(),
    tags: [...snapshot.tags].sort(),
    done: snapshot.status === 'done',
    actions: log,
  };
  log = [];
  return result;
}

function advance(clock, ms) {
  const target = clock.now() + ms;
  for (;;) {
    let next = Infinity;
    for (const timeout of clock.timeouts.values()) {
      next = Math.min(next, timeout.start + timeout.timeout);
    }
    if (next > target) {
      break;
    }
    clock.set(Math.max(clock.now(), next));
  }
  clock.set(target);
}

const runs = [];
for (const sequence of input.sequences) {
  flags = new Set();
  log = [];
  const clock = new SimulatedClock();
  const actor = createActor(machine, { clock });
  actor.start();
  const run = [step(actor)];
  for (const input of sequence) {
    if (run[run.length - 1].done) {
      break;
    }
    if ('send' in input) {
      actor.send({ type: input.send });
    } else {
      advance(clock, input.advance);
    }
    run.push(step(actor));
  }
  actor.stop();
  runs.push(run);
}
process.stdout.write(JSON.stringify({ runs }));
