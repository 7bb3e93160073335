import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  MyNotice,
  MyNoticePage,
  MyNoticeQuery,
  Notice,
  NoticeCreate,
  NoticeListQuery,
  NoticePage,
  NoticeReceipts,
  NoticeRemind,
  NoticeWithdraw,
  ReceiptQuery,
  RemindResult,
  UnreadPage,
  UnreadQuery,
} from '../../../common/schemas/notices.js';
import { IdParams } from '../../../common/schemas/shared.js';
import type { Deps } from '../../deps.js';
import { ctxOf } from '../../http/plumbing.js';
import { respondCreated } from '../../http/respond.js';
import { registerAttachmentOwner } from '../files/files.service.js';
import * as notices from './notices.service.js';

export function noticeRoutes(app: FastifyInstance, deps: Deps): void {
  registerAttachmentOwner('notice', notices.canReadNoticeAttachments);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['notices'];
  r.post('/api/v1/notices', { schema: { tags, summary: 'Publish a notice to units (and key groups); its audience is fixed now', body: NoticeCreate, response: { 201: Notice } } }, (req, reply) =>
    respondCreated(deps, req, reply, (ctx) => notices.publishNotice(deps, ctx, req.body)),
  );
  r.get('/api/v1/notices', { schema: { tags, summary: "Notices reaching into the actor's notices.write scope, newest first", querystring: NoticeListQuery, response: { 200: NoticePage } } }, (req) =>
    notices.listNotices(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/notices/mine', { schema: { tags, summary: "The signed-in person's notices, newest first, unread marked", querystring: MyNoticeQuery, response: { 200: MyNoticePage } } }, (req) =>
    notices.myNotices(deps, ctxOf(req), req.query),
  );
  r.get('/api/v1/notices/mine/:id', { schema: { tags, summary: "One of the signed-in person's notices", params: IdParams, response: { 200: MyNotice } } }, (req) =>
    notices.myNotice(deps, ctxOf(req), req.params.id),
  );
  r.post('/api/v1/notices/mine/:id/read', { schema: { tags, summary: 'Mark one of my notices read (the first time is the receipt)', params: IdParams, response: { 200: MyNotice } } }, (req) =>
    notices.markNoticeRead(deps, ctxOf(req), req.params.id),
  );
  r.get('/api/v1/notices/:id', { schema: { tags, summary: 'One notice, with the read count of the part of its audience in scope', params: IdParams, response: { 200: Notice } } }, (req) =>
    notices.getNotice(deps, ctxOf(req), req.params.id),
  );
  r.post('/api/v1/notices/:id/withdraw', { schema: { tags, summary: 'Withdraw a notice (gone from its audience’s lists; receipts kept)', params: IdParams, body: NoticeWithdraw, response: { 200: Notice } } }, (req) =>
    notices.withdrawNotice(deps, ctxOf(req), req.params.id, req.body),
  );
  r.get(
    '/api/v1/notices/:id/receipts',
    { schema: { tags, summary: 'Read receipts under a unit: the unit, each child subtree with audience, the whole subtree', params: IdParams, querystring: ReceiptQuery, response: { 200: NoticeReceipts } } },
    (req) => notices.noticeReceipts(deps, ctxOf(req), req.params.id, req.query),
  );
  r.get('/api/v1/notices/:id/unread', { schema: { tags, summary: 'People under a unit who have not read the notice', params: IdParams, querystring: UnreadQuery, response: { 200: UnreadPage } } }, (req) =>
    notices.listUnread(deps, ctxOf(req), req.params.id, req.query),
  );
  r.post('/api/v1/notices/:id/remind', { schema: { tags, summary: 'Remind those under a unit who have not read it (each at most once an hour)', params: IdParams, body: NoticeRemind, response: { 200: RemindResult } } }, (req) =>
    notices.remindUnread(deps, ctxOf(req), req.params.id, req.body),
  );
}
