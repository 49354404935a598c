// Runs one JSON machine in the real XState (v5, pinned in package.json) over many event sequences,
// for XStateConformanceTest, which runs the same machine and sequences in Stator and compares.
//
//   node run.mjs INPUT.json > OUTPUT.json
//
// INPUT:  { "machine": <XState machine configuration>,
//           "sequences": [ [ {"send": "EVENT"} | {"advance": milliseconds}, ... ], ... ] }
// OUTPUT: { "runs": [ [ step, ... ], ... ] }, one run per sequence: the initial step (the actor
//         started), then one step per input until the machine is done.
//         step = { "leaves": [...], "tags": [...], "done": bool, "actions": [...] }; when done,
//         the last action is "output " and the machine's output as compact JSON ("null": none).
//
// Actions and guards are recording no-ops that follow the harness convention, the same on the
// Java side: every action appends its name to the step's "actions", followed by its params as
// compact JSON when it has params that are not empty (log{"n":1}); an action named setX, clearX
// or toggleX also sets, clears or toggles flag X, and so does any action whose params have "set",
// "clear" or "toggle" naming a flag. The action logOutput appends "logOutput " and the done data
// of its event as compact JSON ("null" when there is none). A guard named isX holds when flag X is
// set, notX when it is not, "yes" always and "no" never; the guard "flag" holds when its params'
// "is" names a set flag, or its "not" a flag that is not set; the guard "outputIs" holds when the
// event's done data has its params' "key" equal to their "value". Every other guard name is an
// error.
//
// Calls (invoke src): "echo" completes at once with its input as its output. Named delays (after
// keys that are not numbers) last the number their name ends with, in milliseconds: "wait700".
//
// With "lenient": true in the input (XStateConformanceTest -Dxstate.lenient=true, for machines
// written by others), names outside the convention mean what Stator's Bindings.noOps() makes of
// them: a guard of another name holds ("unknownGuardsHold": false: never holds), a named delay without a number at its end lasts 1000 ms,
// and every call is "echo"; "cond" is read as "guard", as Stator reads it. A machine XState refuses is then reported as { "refused": message }.
//
// Time is XState's SimulatedClock, moved from one due timer to the next (each timer fires at its
// own deadline, as on Stator's TestLoop), then to the target time.
import { createActor, createMachine, SimulatedClock } from 'xstate';
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const config = input.machine;
const lenient = input.lenient === true;
const unknownGuardsHold = input.unknownGuardsHold !== false;

const actionNames = new Set();
const guardNames = new Set();
const delayNames = new Set();
const callNames = new Set();
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
    if (key === 'entry' || key === 'exit' || key === 'actions' || key === 'onEntry'
        || key === 'onExit') {
      for (const action of [].concat(value)) {
        actionNames.add(nameOf(action));
      }
    } else if (key === 'guard' || key === 'cond') {
      guardNames.add(nameOf(value));
    } else if (key === 'src' && typeof value === 'string') {
      callNames.add(value);
    } else if (key === 'src' && value && typeof value.type === 'string') {
      callNames.add(value.type);
    } else {
      if (key === 'after' && value && typeof value === 'object') {
        for (const delay of Object.keys(value)) {
          if (!/^[0-9]+$/.test(delay)) {
            delayNames.add(delay);
          }
        }
      }
      collect(value);
    }
  }
}
// XState 5 ignores XState 4's "cond"; Stator reads it as "guard". In lenient mode the machine
// is given to XState with each "cond" renamed "guard", so that this documented difference does
// not hide every other; so too the other XState 4 keys Stator reads with their XState 4 meaning:
// "onEntry" and "onExit", "internal", "src" as an object, and the event "" (eventless).
function condAsGuard(node) {
  if (Array.isArray(node)) {
    node.forEach(condAsGuard);
    return;
  }
  if (node === null || typeof node !== 'object') {
    return;
  }
  if ('cond' in node && !('guard' in node)) {
    node.guard = node.cond;
    delete node.cond;
  }
  // the other XState 4 keys Stator reads with their XState 4 meaning
  for (const [old, now] of [['onEntry', 'entry'], ['onExit', 'exit']]) {
    if (old in node && !(now in node)) {
      node[now] = node[old];
      delete node[old];
    }
  }
  if (typeof node.internal === 'boolean' && 'target' in node) {
    if (node.internal === false && !('reenter' in node)) {
      node.reenter = true;
    }
    delete node.internal;
  }
  for (const invoke of [].concat(node.invoke || [])) {
    if (invoke && invoke.src && typeof invoke.src === 'object' && typeof invoke.src.type === 'string') {
      invoke.src = invoke.src.type;
    }
  }
  if (node.on && typeof node.on === 'object' && '' in node.on) {
    node.always = [].concat(node.always || [], node.on['']);
    delete node.on[''];
  }
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'meta' && key !== 'context') {
      condAsGuard(value);
    }
  }
}
if (lenient) {
  condAsGuard(config);
}
collect(config);

let flags = new Set();
let log = [];

function change(verb, flag) {
  if (verb === 'set' || (verb === 'toggle' && !flags.has(flag))) {
    flags.add(flag);
  } else {
    flags.delete(flag);
  }
}

const hasParams = (params) => params !== undefined && params !== null
  && !(typeof params === 'object' && !Array.isArray(params) && Object.keys(params).length === 0);
const json = (value) => (value === undefined ? 'null' : JSON.stringify(value));

const actions = {};
for (const name of actionNames) {
  const match = /^(set|clear|toggle)(.+)$/.exec(name);
  actions[name] = ({ event }, params) => {
    if (name === 'logOutput') {
      log.push('logOutput ' + json(event.output));
    } else {
      log.push(hasParams(params) ? name + JSON.stringify(params) : name);
    }
    if (match) {
      change(match[1], match[2]);
    }
    if (hasParams(params) && typeof params === 'object') {
      for (const verb of ['set', 'clear', 'toggle']) {
        if (typeof params[verb] === 'string') {
          change(verb, params[verb]);
        }
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
  } else if (name === 'flag') {
    guards[name] = (_, params) => ('is' in params ? flags.has(params.is) : !flags.has(params.not));
  } else if (name === 'outputIs') {
    guards[name] = ({ event }, params) => event.output !== null && typeof event.output === 'object'
      && event.output[params.key] === params.value;
  } else if (match) {
    guards[name] = () => flags.has(match[2]) === (match[1] === 'is');
  } else if (lenient) {
    guards[name] = () => unknownGuardsHold;
  } else {
    throw new Error(`guard "${name}" does not follow the harness convention (isX, notX, yes, no)`);
  }
}

const delays = {};
for (const name of delayNames) {
  const match = /([0-9]+)$/.exec(name);
  if (!match && lenient) {
    delays[name] = 1000;
    continue;
  }
  if (!match) {
    throw new Error(`delay "${name}" does not follow the harness convention (a name ending with milliseconds)`);
  }
  delays[name] = Number(match[1]);
}

// "echo": a machine final from the start, whose output is its input
const echo = createMachine({
  context: ({ input }) => ({ input }),
  initial: 'done',
  states: { done: { type: 'final' } },
  output: ({ context }) => context.input,
});

const actors = { echo };
if (lenient) {
  for (const name of callNames) {
    actors[name] = echo;
  }
}
// In lenient mode a machine XState refuses (createMachine throws) is reported, not run:
// { "refused": message }, and XStateConformanceTest skips it with that message.
let machine;
try {
  machine = createMachine(config, { actions, guards, delays, actors });
} catch (error) {
  if (!lenient) {
    throw error;
  }
  process.stdout.write(JSON.stringify({ refused: String(error && error.message) }));
  process.exit(0);
}

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
  const done = snapshot.status === 'done';
  const result = {
    leaves: leaves(snapshot.value, '', []).sort(),
    tags: [...snapshot.tags].sort(),
    done,
    // the machine's output is compared as if it were one more action at the end
    actions: done ? [...log, 'output ' + json(snapshot.output)] : log,
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
