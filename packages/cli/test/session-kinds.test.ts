/**
 * `partcopy sessions` and `gc` over every kind of session in one folder: an interrupted
 * `compose --resume` is listed beside a copy (kind, parts done/total), finished by
 * `sessions resume` and removed by `sessions abort`; a record the previous release left in
 * `DIR/compose` is moved into the folder and protects its upload from `gc`, also when it was
 * killed while creating the upload (state `creating`, no upload id recorded).
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDefaultRegistry } from '@partcopy/cli';
import type { ProviderRegistry } from '@partcopy/core';
import { type Interceptor, wrappedFactory } from '@partcopy/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CliHarness, patternBytes, smallPartsFsFactory } from './cli-harness.js';

const a = patternBytes(3000, 1);
const b = patternBytes(2500, 2);
const composeArgs = [
  'compose',
  'file://demo/joined.bin',
  'file://demo/a.bin',
  'file://demo/b.bin',
  'file://demo/a.bin[0-1499]',
  '--multipart',
  '--concurrency',
  '1',
  '--resume',
];
const copyArgs = [
  'cp',
  'file://demo/a.bin',
  'file://demo/copy.bin',
  '--part-size',
  '1KiB',
  '--concurrency',
  '1',
];
const SESSIONS = '.partcopy-sessions';

let h: CliHarness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

/** A harness whose runs are interrupted at the second part write (of each run given the signal). */
async function harness(): Promise<{ h: CliHarness; interrupt: () => AbortSignal }> {
  let current: AbortController | undefined;
  let writes = 0;
  const intercept: Interceptor = async (method, _request, _ctx, next) => {
    if ((method === 'uploadPartCopy' || method === 'uploadPart') && current && ++writes === 2)
      current.abort(new Error('interrupted by SIGINT'));
    return next();
  };
  const registry: ProviderRegistry = createDefaultRegistry().register(
    wrappedFactory(smallPartsFsFactory, intercept),
  );
  const made = await CliHarness.create(registry);
  await writeFile(join(made.cwd, 'a.bin'), a);
  await writeFile(join(made.cwd, 'b.bin'), b);
  await made.ok(['mb', 'file://demo']);
  await made.ok(['put', 'a.bin', 'file://demo/a.bin']);
  await made.ok(['put', 'b.bin', 'file://demo/b.bin']);
  return {
    h: made,
    interrupt: () => {
      writes = 0;
      current = new AbortController();
      return current.signal;
    },
  };
}

type Listed = { sessions: Array<Record<string, unknown>> };

describe('sessions of every kind in one folder', () => {
  it('lists an interrupted compose beside a copy, resumes it by its kind, aborts the copy', async () => {
    const setup = await harness();
    h = setup.h;
    expect((await h.run(composeArgs, { signal: setup.interrupt() })).code).toBe(130);
    expect((await h.run([...copyArgs, '--session-id', 'cp1'], { signal: setup.interrupt() })).code).toBe(130);
    const listed = (await h.ok(['sessions', 'list', '--json'])).json<Listed>().sessions;
    const compose = listed.find((s) => s.kind === 'compose');
    expect(compose).toMatchObject({ state: 'copying', partsDone: 1, partsTotal: 3, strategy: 'multipart' });
    expect(listed.find((s) => s.kind === 'copy')).toMatchObject({ id: 'cp1', partsDone: 1, partsTotal: 3 });
    const human = await h.ok(['sessions', 'list']);
    expect(human.stdout).toMatch(
      /compose +copying +file:\/\/demo\/a\.bin \(\+2 more\) +-> file:\/\/demo\/joined\.bin +1\/3 parts/,
    );
    expect(human.stdout).toMatch(
      /cp1 +copy +copying +file:\/\/demo\/a\.bin +-> file:\/\/demo\/copy\.bin +1\/3 parts/,
    );

    const resumed = await h.ok(['sessions', 'resume', String(compose?.id), '--json']);
    expect(resumed.json()).toMatchObject({
      strategy: 'multipart',
      session: { resumed: true, partsReused: 1 },
    });
    const joined = (await h.ok(['get', 'file://demo/joined.bin', '-'])).stdoutBytes;
    expect(Buffer.compare(joined, Buffer.concat([a, b, a.subarray(0, 1500)]))).toBe(0);

    expect((await h.ok(['sessions', 'abort', 'cp1'])).stdout).toMatch(
      /^removed session cp1; aborted upload \S+/,
    );
    expect((await h.ok(['sessions', 'list', '--json'])).json<Listed>().sessions).toEqual([]);
    expect((await h.ok(['uploads', 'list', 'file://demo', '--json'])).json()).toMatchObject({ uploads: [] });
  });

  it('lists an interrupted transfer across stores and resumes it by its kind with both stores', async () => {
    const big = patternBytes(11 * 1024 * 1024 + 7, 9);
    let reads = 0;
    let stop: AbortController | undefined;
    const intercept: Interceptor = async (method, _request, _ctx, next) => {
      if (method === 'getObject' && stop && ++reads === 2) stop.abort(new Error('interrupted by SIGINT'));
      return next();
    };
    h = await CliHarness.create(
      createDefaultRegistry().register(wrappedFactory(smallPartsFsFactory, intercept)),
    );
    await writeFile(join(h.cwd, 'big.bin'), big);
    await h.ok(['mb', 'file://demo']);
    await h.ok(['put', 'big.bin', 'file://demo/big.bin']);
    await h.ok(['mb', 'mem://far']);
    stop = new AbortController();
    const args = [
      'cp',
      'file://demo/big.bin',
      'mem://far/big.bin',
      '--part-size',
      '5MiB',
      '--concurrency',
      '1',
      '--resume',
    ];
    expect((await h.run(args, { signal: stop.signal })).code).toBe(130);
    stop = undefined;
    const [listed] = (await h.ok(['sessions', 'list', '--json'])).json<Listed>().sessions;
    expect(listed).toMatchObject({ kind: 'transfer', state: 'copying', partsDone: 1, partsTotal: 3 });
    const resumed = await h.ok(['sessions', 'resume', String(listed?.id), '--json']);
    expect(resumed.json()).toMatchObject({ session: { resumed: true, partsReused: 1 }, size: big.length });
    const back = (await h.ok(['get', 'mem://far/big.bin', '-'])).stdoutBytes;
    expect(Buffer.compare(back, Buffer.from(big))).toBe(0);
    expect((await h.ok(['sessions', 'list', '--json'])).json<Listed>().sessions).toEqual([]);
  });

  it("adopts the previous release's compose folder; gc keeps the upload of a compose killed while creating it", async () => {
    const setup = await harness();
    h = setup.h;
    expect((await h.run(composeArgs, { signal: setup.interrupt() })).code).toBe(130);
    const [file] = (await readdir(join(h.cwd, SESSIONS))).filter((f) => f.endsWith('.json'));
    const id = String(file).slice(0, -'.json'.length);
    // Written back as the previous release kept it: version 1 of the compose format, in DIR/compose,
    // and as killed between creating the upload and recording its id (state `creating`, no id).
    const {
      kind: _kind,
      uploadId: _upload,
      ...record
    } = JSON.parse(await readFile(join(h.cwd, SESSIONS, String(file)), 'utf8')) as Record<string, unknown>;
    await rm(join(h.cwd, SESSIONS, String(file)));
    await mkdir(join(h.cwd, SESSIONS, 'compose'));
    const old = { ...record, format: 'partcopy.compose-session', formatVersion: 1, state: 'creating' };
    await writeFile(join(h.cwd, SESSIONS, 'compose', String(file)), JSON.stringify(old));

    const gc = await h.ok(['gc', 'file://demo', '--older-than', '0s', '--json']);
    expect(gc.json()).toMatchObject({
      reports: [
        {
          removed: 0,
          kept: 1,
          items: [{ kind: 'upload', name: 'joined.bin', action: 'kept', reason: `session ${id}` }],
        },
      ],
    });
    expect(await readdir(join(h.cwd, SESSIONS))).toEqual([String(file)]);
    expect((await h.ok(['sessions', 'list', '--json'])).json<Listed>().sessions).toMatchObject([
      { id, kind: 'compose', state: 'creating', format: 'partcopy.session', formatVersion: 2 },
    ]);

    const aborted = await h.ok(['sessions', 'abort', id, '--json']);
    expect(aborted.json()).toMatchObject({ id, kind: 'compose', uploadWasGone: false });
    expect((await h.ok(['uploads', 'list', 'file://demo', '--json'])).json()).toMatchObject({ uploads: [] });
  });
});
