// Runs every conformance case marked "differential": true through aws-local-stepfunctions, an
// independent States Language interpreter, in one Node process, and prints one JSON object:
// { "<case name>": { "status", "output", "error", "cause" }, ... }.
//
// Usage: node --import <node dir>/with-resolvers.mjs run-cases.mjs <cases dir> <node dir>
// (<node dir> is this folder, where the test build's `npm ci` installed the pinned library.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';

const [casesDir, nodeDir] = process.argv.slice(2);
if (!casesDir || !nodeDir) {
  console.error('usage: run-cases.mjs <cases dir> <node dir>');
  process.exit(64);
}

const require = createRequire(join(resolve(nodeDir), 'package.json'));
const { StateMachine, ExecutionError, ExecutionTimeoutError } = require('aws-local-stepfunctions');

// The identity the engine's LocalRunner gives every run, so cases reading $$ see the same values.
const context = {
  Execution: {
    Id: 'arn:aws:states:us-east-1:123456789012:execution:StateMachine:execution-0001',
    Name: 'execution-0001',
    RoleArn: 'arn:aws:iam::123456789012:role/StateMachine-role',
  },
  StateMachine: {
    Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine',
    Name: 'StateMachine',
  },
};

// A case that has not settled in this much real time is reported as hung rather than stalling the run.
const caseTimeoutMs = 10_000;

function listCases(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return listCases(path);
    return entry.endsWith('.json') ? [path] : [];
  });
}

// Every state of the machine and of its Parallel branches and Map processors (names are unique across them).
function allStates(machine) {
  return Object.entries(machine.States ?? {}).flatMap(([name, state]) => [
    [name, state],
    ...(state.Branches ?? []).flatMap(allStates),
    ...[state.ItemProcessor, state.Iterator].filter(Boolean).flatMap(allStates),
  ]);
}

// The case's mocks as { state: [answer, ...] }, translating a Step Functions Local mock-config if present.
function answersByState(testCase) {
  if (!testCase.mockConfig) return testCase.mocks ?? {};
  const machine = Object.values(testCase.mockConfig.StateMachines)[0];
  const mapping = machine.TestCases[testCase.testCase];
  return Object.fromEntries(Object.entries(mapping).map(([state, responseName]) => {
    const byIndex = testCase.mockConfig.MockedResponses[responseName];
    const answers = [];
    for (const [key, answer] of Object.entries(byIndex)) {
      const [from, to = from] = key.split('-').map(Number);
      const converted = answer.Throw
        ? { throw: { error: answer.Throw.Error, cause: answer.Throw.Cause } }
        : { return: answer.Return };
      for (let i = from; i <= to; i++) answers[i] = converted;
    }
    return [state, answers];
  }));
}

function overridesFor(testCase) {
  const answers = answersByState(testCase);
  const definition = typeof testCase.definition === 'string' ? JSON.parse(testCase.definition) : testCase.definition;
  const taskResourceLocalHandlers = {};
  const waitTimeOverrides = {};
  const retryIntervalOverrides = {};
  const calls = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type === 'Wait') waitTimeOverrides[name] = 0;
    if (state.Retry) retryIntervalOverrides[name] = 0;
    if (state.Type !== 'Task') continue;
    taskResourceLocalHandlers[name] = async () => {
      const list = answers[name];
      if (!list?.length) throw Object.assign(new Error(`no mocked answer for ${name}`), { name: 'States.Runtime' });
      const index = calls[name] ?? 0;
      calls[name] = index + 1;
      const answer = list[Math.min(index, list.length - 1)];
      if (answer.throw) {
        const error = new Error(answer.throw.cause ?? '');
        error.name = answer.throw.error;
        throw error;
      }
      return answer.return ?? null;
    };
  }
  return { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides };
}

async function runCase(testCase) {
  // The library's validator (asl-validator) compiles its JSON schemas on every construction, about 80 ms
  // a case; only the cases that expect a rejected definition need it, so the rest skip it.
  const validate = testCase.expected?.status === 'INVALID';
  const validationOptions = validate ? { checkArn: true, checkPaths: true } : { noValidate: true };
  let machine;
  try {
    // A string definition is raw text (cases about definitions that are not valid JSON).
    const definition = typeof testCase.definition === 'string' ? JSON.parse(testCase.definition) : testCase.definition;
    machine = new StateMachine(definition, { validationOptions });
  } catch (e) {
    return { status: 'INVALID', output: null, error: null, cause: String(e.message) };
  }

  const execution = machine.run('input' in testCase ? testCase.input : {}, { overrides: overridesFor(testCase), context });
  let timer;
  const hung = new Promise((resolve) => {
    timer = setTimeout(() => {
      execution.abort();
      resolve({ status: 'HUNG', output: null, error: null, cause: `no result within ${caseTimeoutMs} ms` });
    }, caseTimeoutMs);
  });
  const settled = execution.result.then(
    (output) => ({ status: 'SUCCEEDED', output: output ?? null, error: null, cause: null }),
    (e) => {
      if (e instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', output: null, error: 'States.Timeout', cause: null };
      if (e instanceof ExecutionError) return { status: 'FAILED', output: null, error: e.cause?.name ?? null, cause: e.cause?.message ?? null };
      return { status: 'CRASHED', output: null, error: e?.name ?? null, cause: String(e?.message ?? e) };
    });
  try {
    return await Promise.race([settled, hung]);
  } finally {
    clearTimeout(timer);
  }
}

const results = {};
for (const file of listCases(casesDir).sort()) {
  const name = relative(casesDir, file).split(sep).join('/').replace(/\.json$/, '');
  const testCase = JSON.parse(readFileSync(file, 'utf8'));
  if (testCase.differential !== true) continue;
  results[name] = await runCase(testCase);
}

// Exit once stdout is flushed (a pipe is written asynchronously): the library may leave timers behind
// (its 60 s default task timeout races every task) that would otherwise keep the process alive.
process.stdout.write(JSON.stringify(results) + '\n', () => process.exit(0));
