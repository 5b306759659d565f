// Tests of tools/solc, the shim that lets forge use solcjs. Run with: node --test tools/test
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const shim = path.join(root, 'tools', 'solc');

function runShim(args, input) {
  return new Promise((resolve, reject) => {
    // Output goes through a pipe, as with forge: the case where an early exit truncates at 128 KiB.
    const child = spawn(shim, args, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

test('--version prints a version line forge can parse', () => {
  const r = spawnSync(shim, ['--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Version: 0\.8\.30\+commit\.73712a01\.Emscripten\.clang$/m);
});

test('unsupported arguments fail with a clear message', () => {
  const r = spawnSync(shim, ['--bin', 'x.sol'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /only --version and --standard-json are supported/);
});

test('standard JSON output larger than 128 KiB arrives whole through a pipe', async () => {
  // The governor pulls in ~60 OpenZeppelin files; asking for every artifact of every source makes an output far
  // above the 131072-byte pipe buffer. Sources are resolved by the shim's import callback from the project root.
  const input = {
    language: 'Solidity',
    sources: { 'src/governance/MercatoGovernor.sol': { urls: ['src/governance/MercatoGovernor.sol'] } },
    settings: {
      remappings: ['@openzeppelin/contracts/=node_modules/@openzeppelin/contracts/'],
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'prague',
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'metadata'] } },
    },
  };
  const r = await runShim(['--standard-json'], JSON.stringify(input));
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.length > 131072, `output is only ${r.stdout.length} bytes; the test needs > 128 KiB`);
  const out = JSON.parse(r.stdout.toString('utf8')); // throws on a truncated document
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  assert.deepEqual(errors, []);
  const governor = out.contracts['src/governance/MercatoGovernor.sol'].MercatoGovernor;
  assert.ok(governor.evm.deployedBytecode.object.length > 10000);
});

test('a missing import is reported as a compiler error, not a crash', async () => {
  const input = {
    language: 'Solidity',
    sources: { 'x.sol': { content: 'pragma solidity ^0.8.0; import "./does-not-exist.sol"; contract X {}' } },
    settings: { outputSelection: { '*': { '*': ['abi'] } } },
  };
  const r = await runShim(['--standard-json'], JSON.stringify(input));
  assert.equal(r.code, 0);
  const out = JSON.parse(r.stdout.toString('utf8'));
  assert.ok(out.errors.some((e) => e.severity === 'error' && /does-not-exist\.sol/.test(e.message)));
});
