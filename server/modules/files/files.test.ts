import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES } from '../../../common/schemas/files.js';
import { testDialects, testEnv, type TestEnv } from '../../../test/env.js';
import { buildTree, buildUser, loginAs } from '../../../test/factories.js';
import { errorOf, multipartFile, send } from '../../../test/http.js';
import { xlsxOf } from '../org/import.fixtures.js';
import { transact } from '../../db/transact.js';
import { systemCtx } from '../../http/actor.js';
import { grantsOfUser } from '../auth/auth.store.js';
import { DOCX_MINIMAL, PDF_MINIMAL, PNG_1PX, zipOf } from './files.fixtures.js';
import { linkAttachments, MAX_PENDING_BYTES, purgeUnlinkedAttachments, registerAttachmentOwner } from './files.service.js';
import { contentDisposition, safeFileName, sniffType } from './sniff.js';

type Json = Record<string, unknown> & { id: number };

describe('sniffing, names and dispositions', () => {
  it('knows each accepted type by its bytes, whatever it is called', async () => {
    expect(sniffType(PNG_1PX)).toBe('png');
    expect(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('jpeg');
    expect(sniffType(Buffer.from('GIF89a\x01\x00', 'latin1'))).toBe('gif');
    expect(sniffType(Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(sniffType(PDF_MINIMAL)).toBe('pdf');
    expect(sniffType(DOCX_MINIMAL)).toBe('docx');
    expect(sniffType(await xlsxOf({ Sheet1: [['a']] }))).toBe('xlsx');
    expect(sniffType(zipOf({ '[Content_Types].xml': '', 'ppt/presentation.xml': '' }))).toBe('pptx');
  });

  it('refuses what it does not know: HTML, SVG, scripts, plain zips, truncated zips', () => {
    expect(sniffType(Buffer.from('<html><script>alert(1)</script></html>'))).toBeNull();
    expect(sniffType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))).toBeNull();
    expect(sniffType(Buffer.from('#!/bin/sh\nrm -rf /\n'))).toBeNull();
    expect(sniffType(zipOf({ 'evil.exe': 'MZ' }))).toBeNull();
    expect(sniffType(DOCX_MINIMAL.subarray(0, DOCX_MINIMAL.length - 30))).toBeNull();
    expect(sniffType(Buffer.alloc(0))).toBeNull();
  });

  it('keeps the last path segment of a name, drops quotes and control characters, and ends it in the real type', () => {
    expect(safeFileName('C:\\Users\\x\\通知 第3号.JPG', 'png')).toBe('通知 第3号.png');
    expect(safeFileName('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
    expect(safeFileName('a"b\r\nc<d>.docx', 'docx')).toBe('abcd.docx');
    expect(safeFileName('', 'jpg')).toBe('file.jpg');
    expect(contentDisposition('inline', '通知 "1".png')).toBe(`inline; filename="__ _1_.png"; filename*=UTF-8''%E9%80%9A%E7%9F%A5%20%221%22.png`);
  });
});

describe.each(testDialects())('attachments on %s', (dialect) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testEnv(dialect);
  });
  afterAll(async () => t?.close());

  async function upload(userId: number, filename: string, content: Buffer, field = 'file') {
    const { body, headers } = multipartFile({ field, filename, contentType: 'application/octet-stream', content });
    return send(await t.app(), await loginAs(t, userId), { method: 'POST', url: '/api/v1/attachments', body, headers });
  }
  async function download(userId: number, id: number) {
    const app = await t.app();
    return app.inject({ method: 'GET', url: `/api/v1/attachments/${id}`, headers: { cookie: await loginAs(t, userId) } });
  }

  it('stores an upload with its sniffed type; the uploader downloads it (images inline), nobody else finds it', async () => {
    const { a, b } = await buildTree(t);
    const me = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const other = await buildUser(t, [{ role: 'admin', unit: b }]);
    const up = await upload(me.id, '现场照片.jpg', PNG_1PX);
    expect(up.status).toBe(201);
    const att = up.json as Json;
    expect(att).toMatchObject({ fileName: '现场照片.png', type: 'png', contentType: 'image/png', size: PNG_1PX.length, image: true });

    const got = await download(me.id, att.id);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(String(got.headers['content-disposition'])).toMatch(/^inline; filename="____\.png"; filename\*=UTF-8''/);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.rawPayload.equals(PNG_1PX)).toBe(true);

    expect((await download(other.id, att.id)).statusCode).toBe(404);
    expect((await download(me.id, att.id + 100000)).statusCode).toBe(404);

    const pdf = (await upload(me.id, 'directive.pdf', PDF_MINIMAL)).json as Json;
    const gotPdf = await download(me.id, pdf.id);
    expect(gotPdf.headers['content-type']).toBe('application/pdf');
    expect(String(gotPdf.headers['content-disposition'])).toMatch(/^attachment; /);
    const docx = await upload(me.id, '方案', DOCX_MINIMAL);
    expect(docx.json).toMatchObject({ type: 'docx', fileName: '方案.docx', image: false });
    // Every upload is audited.
    const audited = await t.deps.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'attachment.uploaded').execute();
    expect(audited.map((r) => Number(r.entity_id))).toEqual(expect.arrayContaining([att.id, pdf.id]));
  });

  it('refuses, naming `file`: a type it does not accept, an empty file, the wrong field, a file over 10 MB', async () => {
    const { a } = await buildTree(t);
    const me = await buildUser(t, [{ role: 'liaison', unit: a }]);
    for (const [name, content, field, status] of [
      ['photo.jpg', Buffer.from('<html><script>alert(1)</script></html>'), 'file', 400],
      ['empty.png', Buffer.alloc(0), 'file', 400],
      ['x.png', PNG_1PX, 'attachment', 400],
      ['huge.png', Buffer.concat([PNG_1PX, Buffer.alloc(MAX_ATTACHMENT_BYTES)]), 'file', 413],
    ] as const) {
      const res = await upload(me.id, name, content, field);
      expect(res.status, name).toBe(status);
      expect(Object.keys(errorOf(res)?.fields ?? {}), name).toEqual(['file']);
    }
    expect(await t.deps.db.selectFrom('attachments').select('id').where('uploader_user_id', '=', me.id).execute()).toEqual([]);
  });

  it('an uploader cannot hold more than the pending limit in uploads not yet attached', async () => {
    const { a } = await buildTree(t);
    const me = await buildUser(t, [{ role: 'liaison', unit: a }]);
    // A row claiming nearly the whole allowance (its bytes need not be that large for the count).
    await t.deps.db
      .insertInto('attachments')
      .values({ uploader_user_id: me.id, file_name: 'big.pdf', type: 'pdf', size: MAX_PENDING_BYTES - 10, sha256: 'x', data: PDF_MINIMAL, owner_kind: null, owner_id: null, created_at: t.clock.now(), linked_at: null })
      .execute();
    const res = await upload(me.id, 'one.png', PNG_1PX);
    expect(res.status).toBe(400);
    expect(errorOf(res)?.fields?.file).toMatch(/not yet attached/);
  });

  it("links only the actor's own unlinked uploads, naming the field; once linked, the owner's read rule decides", async () => {
    const { a, b } = await buildTree(t);
    const me = await buildUser(t, [{ role: 'command', unit: a }]);
    const other = await buildUser(t, [{ role: 'command', unit: b }]);
    const reader = await buildUser(t, [{ role: 'liaison', unit: a }]);
    const mine = (await upload(me.id, 'a.png', PNG_1PX)).json as Json;
    const theirs = (await upload(other.id, 'b.png', PNG_1PX)).json as Json;
    const actor = { userId: me.id, username: 'me', displayName: null, personId: null, grants: await grantsOfUser(t.deps.db, me.id), via: 'session' as const, sessionId: null };
    const link = (ids: number[], ownerId: number) => transact(t.deps, systemCtx, (tx) => linkAttachments(tx, t.deps, actor, ids, { kind: 'directive', id: ownerId }));

    await expect(link([mine.id, theirs.id], 1)).rejects.toMatchObject({ code: 'validation', fields: { attachmentIds: expect.stringContaining(String(theirs.id)) } });
    await expect(link([999_999], 1)).rejects.toMatchObject({ code: 'validation' });
    // The refused link changed nothing.
    expect((await t.deps.db.selectFrom('attachments').select('owner_kind').where('id', '=', mine.id).executeTakeFirstOrThrow()).owner_kind).toBeNull();

    const linked = await link([mine.id, mine.id], 7);
    expect(linked.map((x) => x.id)).toEqual([mine.id]);
    await expect(link([mine.id], 8)).rejects.toMatchObject({ code: 'validation' });

    // The owner's rule says no: the uploader only. (Registered after the app is built, so this rule
    // replaces whatever the directives module registers for its kind.)
    const readers = new Set<number>();
    registerAttachmentOwner('directive', async (_deps, who, ownerId) => ownerId === 7 && readers.has(who.userId));
    expect((await download(reader.id, mine.id)).statusCode).toBe(404);
    readers.add(reader.id);
    expect((await download(reader.id, mine.id)).statusCode).toBe(200);
    expect((await download(other.id, mine.id)).statusCode).toBe(404);
    expect((await download(me.id, mine.id)).statusCode).toBe(200);
  });

  it('the nightly purge drops uploads never attached after a day, and keeps attached ones', async () => {
    const { a } = await buildTree(t);
    const me = await buildUser(t, [{ role: 'command', unit: a }]);
    const stale = (await upload(me.id, 'a.png', PNG_1PX)).json as Json;
    const kept = (await upload(me.id, 'b.png', PNG_1PX)).json as Json;
    const actor = { userId: me.id, username: 'me', displayName: null, personId: null, grants: await grantsOfUser(t.deps.db, me.id), via: 'session' as const, sessionId: null };
    await transact(t.deps, systemCtx, (tx) => linkAttachments(tx, t.deps, actor, [kept.id], { kind: 'task', id: 1 }));
    t.clock.advance(23 * 60 * 60 * 1000);
    const fresh = (await upload(me.id, 'c.png', PNG_1PX)).json as Json;
    t.clock.advance(2 * 60 * 60 * 1000);
    const gone = await purgeUnlinkedAttachments(t.deps);
    expect(gone.count).toBeGreaterThanOrEqual(1);
    const left = new Set((await t.deps.db.selectFrom('attachments').select('id').execute()).map((r) => r.id));
    expect(left.has(stale.id)).toBe(false);
    expect(left.has(kept.id)).toBe(true);
    expect(left.has(fresh.id)).toBe(true);
    expect(await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'attachments.purged').execute()).toHaveLength(1);
  });
});
