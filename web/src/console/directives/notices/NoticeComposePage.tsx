import { useMemo, useState } from 'react';
import { App, Breadcrumb, Button, Card, Flex, Form, Input, Select, Space, Tabs, TreeSelect, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { renderMarkup } from '../../../../../common/markup.js';
import { BUILTIN_TAGS } from '../../../../../common/roles.js';
import { MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES } from '../../../../../common/schemas/files.js';
import { MAX_NOTICE_BODY, NOTICE_KINDS, type NoticeKind } from '../../../../../common/schemas/notices.js';
import { attachmentUrl, uploadAttachment, type Attachment } from '../../../api/files';
import { publishNotice } from '../../../api/notices';
import { useReportError } from '../../../components/apiErrors';
import { PageHeader } from '../../../components/PageHeader';
import { forestOf, unitOptions } from '../../../components/unitTree';
import { useScope } from '../../../state/scope';
import { useTagName } from '../../health/campaigns/bits';
import { GroupSelect, TargetModeChoice, type TargetMode } from '../../places/GroupSelect';
import { AttachmentList, NoticeBody } from './bits';

interface Values {
  title: string;
  kind: NoticeKind;
  unitIds: number[];
  tags?: string[];
  target: TargetMode;
  groupId?: number;
  body: string;
}

/** Compose and publish a notice: the body in our Markdown subset with a live preview, files uploaded first and attached. */
export default function NoticeComposePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const { units, unitId } = useScope();
  const tagName = useTagName();
  const treeData = useMemo(() => unitOptions(forestOf(units, null)), [units]);
  const body = Form.useWatch('body', form) ?? '';
  const target = Form.useWatch('target', form) ?? 'units';
  const [files, setFiles] = useState<Attachment[]>([]);
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);

  const upload = async (file: File) => {
    if (file.size > MAX_ATTACHMENT_BYTES) {
      void message.error(t('notices.compose.tooLarge', { name: file.name }));
      return;
    }
    setUploading(true);
    try {
      const a = await uploadAttachment(file);
      setFiles((xs) => [...xs, a]);
    } catch (e) {
      report(e);
    } finally {
      setUploading(false);
    }
  };
  /** Put a file into the body where it ends: an image shown, anything else as a link. */
  const insert = (a: Attachment) => {
    const ref = a.image ? `![${a.fileName}](${attachmentUrl(a.id)})` : `[${a.fileName}](${attachmentUrl(a.id)})`;
    const now = form.getFieldValue('body') as string | undefined;
    form.setFieldValue('body', now ? `${now.replace(/\s+$/, '')}\n\n${ref}` : ref);
  };

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const n = await publishNotice({ title: v.title, kind: v.kind, body: v.body, ...(v.target === 'group' ? { groupId: v.groupId } : { unitIds: v.unitIds, tags: v.tags ?? [] }), attachmentIds: files.map((f) => f.id) });
      void message.success(t('notices.compose.published', { audience: n.audience }));
      navigate(`/directives/notices/${n.id}`);
    } catch (e) {
      report(e, { instance: form, fields: ['title', 'kind', 'unitIds', 'tags', 'groupId', 'body'] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        breadcrumb={<Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/directives/notices">{t('notices.list.heading')}</Link> }, { title: t('notices.compose.heading') }]} />}
        title={t('notices.compose.heading')}
        subtitle={t('notices.compose.subtitle')}
      />
      <Card size="small">
        <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ kind: 'guidance', unitIds: unitId ? [unitId] : [], tags: [], target: 'units', body: '' }} style={{ maxWidth: 880 }}>
          <Form.Item name="title" label={t('notices.compose.title')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 120 }]}>
            <Input data-testid="notice-title" />
          </Form.Item>
          <Flex gap={16} wrap>
            <Form.Item name="kind" label={t('notices.compose.kind')} style={{ width: 200 }}>
              <Select options={NOTICE_KINDS.map((k) => ({ value: k, label: t(`notices.kinds.${k}`) }))} data-testid="notice-kind" />
            </Form.Item>
            <Form.Item name="target" label={t('keyGroups.target')} style={{ width: '100%', marginBottom: 8 }}>
              <TargetModeChoice testId="notice-target" />
            </Form.Item>
            {target === 'group' ? (
              <Form.Item name="groupId" label={t('keyGroups.fromGroup')} extra={t('keyGroups.groupHint')} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1, minWidth: 280 }}>
                <GroupSelect unitId={unitId ?? undefined} data-testid="notice-group" />
              </Form.Item>
            ) : (
              <>
                <Form.Item name="unitIds" label={t('notices.compose.units')} extra={t('notices.compose.unitsHint')} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1, minWidth: 280 }}>
                  <TreeSelect multiple showSearch={{ treeNodeFilterProp: 'title' }} treeData={treeData} placeholder={t('shell.unitPicker')} data-testid="notice-units" />
                </Form.Item>
                <Form.Item name="tags" label={t('notices.compose.tags')} extra={t('notices.compose.tagsHint')} style={{ width: 260 }}>
                  <Select mode="tags" options={BUILTIN_TAGS.map((tag) => ({ value: tag, label: tagName(tag) }))} data-testid="notice-tags" />
                </Form.Item>
              </>
            )}
          </Flex>
          <Form.Item label={t('notices.compose.body')} required extra={t('notices.compose.syntax')}>
            <Tabs
              size="small"
              items={[
                {
                  key: 'edit',
                  label: t('notices.compose.edit'),
                  children: (
                    <Form.Item name="body" noStyle rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: MAX_NOTICE_BODY }]}>
                      <Input.TextArea autoSize={{ minRows: 10, maxRows: 30 }} showCount maxLength={MAX_NOTICE_BODY} data-testid="notice-body" />
                    </Form.Item>
                  ),
                },
                {
                  key: 'preview',
                  label: <span data-testid="notice-preview-tab">{t('notices.compose.preview')}</span>,
                  children: body.trim() ? <NoticeBody html={renderMarkup(body)} testId="notice-preview" /> : <Typography.Text type="secondary">{t('notices.compose.previewEmpty')}</Typography.Text>,
                },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('notices.compose.attachments')} extra={t('notices.compose.attachmentsHint', { max: MAX_ATTACHMENTS })}>
            <Flex vertical gap={8}>
              <Upload
                multiple
                showUploadList={false}
                accept=".jpg,.jpeg,.png,.gif,.webp,.pdf,.docx,.xlsx,.pptx"
                beforeUpload={(file) => {
                  void upload(file);
                  return false;
                }}
                disabled={files.length >= MAX_ATTACHMENTS}
              >
                <Button icon={<UploadOutlined />} loading={uploading} data-testid="notice-upload">
                  {t('notices.compose.upload')}
                </Button>
              </Upload>
              {files.length > 0 && (
                <Space direction="vertical" size={4}>
                  <AttachmentList items={files} />
                  <Space size={4} wrap>
                    {files.map((f) => (
                      <Button key={f.id} size="small" onClick={() => insert(f)} data-testid={`notice-insert-${f.id}`}>
                        {t('notices.compose.insert', { name: f.fileName })}
                      </Button>
                    ))}
                    {files.map((f) => (
                      <Button key={`x${f.id}`} size="small" type="text" danger onClick={() => setFiles((xs) => xs.filter((x) => x.id !== f.id))}>
                        {t('notices.compose.remove', { name: f.fileName })}
                      </Button>
                    ))}
                  </Space>
                </Space>
              )}
            </Flex>
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="notice-publish">
              {t('notices.compose.publish')}
            </Button>
            <Button onClick={() => navigate('/directives/notices')}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
