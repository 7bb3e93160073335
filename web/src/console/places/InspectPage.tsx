import { useEffect, useState } from 'react';
import { Alert, App, Breadcrumb, Button, Card, DatePicker, Form, Input, Radio, Result, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { getPlace, inspectPlace, ITEM_RESULTS, type ItemResult, type PlaceDetail } from '../../api/places';
import { useReportError } from '../../components/apiErrors';
import { FullPageSpin } from '../../components/FullPageSpin';
import { PageHeader } from '../../components/PageHeader';
import { AttachmentUpload } from '../directives/AttachmentUpload';
import { instantOf } from '../directives/assign';
import { useTimeZone } from '../directives/bits';
import { KindTag, RiskTag } from './bits';

interface ItemValues {
  result?: ItemResult;
  note?: string;
  photoIds?: number[];
}
interface Values {
  items: Record<string, ItemValues>;
  note?: string;
  photoIds?: number[];
  rectifyBy?: Dayjs | null;
}

/**
 * An inspection at a desk (notes from a visit, typed in afterwards): the same item-by-item form as
 * the phone's 场所检查 page — passed, failed (with a note) or not applicable — with photos.
 */
export default function InspectPage() {
  const { t } = useTranslation();
  const report = useReportError();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const timeZone = useTimeZone();
  const id = Number(useParams().id);
  const [place, setPlace] = useState<PlaceDetail | null>(null);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();
  const answers = Form.useWatch('items', form);

  useEffect(() => {
    getPlace(id).then(setPlace, (e) => (e instanceof ApiError && (e.status === 404 || e.status === 400) ? setMissing(true) : report(e)));
  }, [id, report]);

  if (missing) return <Result status="404" title={t('places.page.notFound')} extra={<Link to="/places/register">{t('places.page.back')}</Link>} />;
  if (!place) return <FullPageSpin />;
  const items = place.checklist.filter((i) => i.retiredAt === null);

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const x = await inspectPlace(place.id, {
        items: items.map((i) => {
          const a = v.items[String(i.id)] ?? {};
          return { itemId: i.id, result: a.result!, ...(a.note?.trim() ? { note: a.note.trim() } : {}), photoIds: a.photoIds ?? [] };
        }),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        photoIds: v.photoIds ?? [],
        ...(v.rectifyBy ? { rectifyBy: instantOf(v.rectifyBy, timeZone) } : {}),
      });
      void message.success(x.failed > 0 ? t('places.inspect.doneFailed', { n: x.failed }) : t('places.inspect.done'));
      navigate(`/places/register/${place.id}`);
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };
  const anyFailed = Object.values(answers ?? {}).some((a) => a?.result === 'failed');

  return (
    <div data-testid="inspect-page">
      <PageHeader
        breadcrumb={
          <Breadcrumb
            style={{ marginBottom: 8 }}
            items={[{ title: <Link to="/places/register">{t('places.menu.register')}</Link> }, { title: <Link to={`/places/register/${place.id}`}>{place.name}</Link> }, { title: t('places.list.inspect') }]}
          />
        }
        title={t('places.inspect.title', { name: place.name })}
        subtitle={
          <Space size={4}>
            {place.unitName}
            <KindTag kind={place.kind} />
            <RiskTag risk={place.risk} />
          </Space>
        }
      />
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} style={{ maxWidth: 880 }} scrollToFirstError>
        {items.map((i, n) => (
          <Card key={i.id} size="small" style={{ marginBottom: 12 }} data-testid={`inspect-item-${i.id}`}>
            <Typography.Text strong>
              {n + 1}. {i.text}
            </Typography.Text>
            {i.openFinding && (
              <Tag color="red" style={{ marginInlineStart: 8 }}>
                {t('places.inspect.hasOpenFinding')}
              </Tag>
            )}
            <Form.Item name={['items', String(i.id), 'result']} rules={[{ required: true, message: t('places.inspect.answer') }]} style={{ margin: '8px 0' }}>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                options={ITEM_RESULTS.map((r) => ({ value: r, label: <span data-testid={`inspect-item-${i.id}-${r}`}>{t(`places.results.${r}`)}</span> }))}
              />
            </Form.Item>
            <Form.Item
              name={['items', String(i.id), 'note']}
              rules={[{ required: answers?.[String(i.id)]?.result === 'failed', whitespace: true, message: t('places.inspect.noteRequired') }, { max: 1000 }]}
              style={{ marginBottom: 8 }}
            >
              <Input.TextArea rows={2} maxLength={1000} placeholder={t('places.inspect.note')} data-testid={`inspect-item-${i.id}-note`} />
            </Form.Item>
            <Form.Item name={['items', String(i.id), 'photoIds']} style={{ marginBottom: 0 }}>
              <AttachmentUpload accept="image/*" max={20} label={t('places.inspect.photos')} testId={`inspect-item-${i.id}-photo`} />
            </Form.Item>
          </Card>
        ))}
        <Card size="small" style={{ marginBottom: 12 }}>
          <Form.Item name="note" label={t('places.inspect.overall')} rules={[{ max: 2000 }]}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="inspect-note" />
          </Form.Item>
          <Form.Item name="photoIds" label={t('places.inspect.photos')}>
            <AttachmentUpload accept="image/*" max={20} label={t('places.inspect.photos')} testId="inspect-photo" />
          </Form.Item>
          {anyFailed && (
            <>
              <Alert type="warning" showIcon message={t('places.inspect.rectifyNote', { name: place.responsibleName ?? t('places.inspect.unitHead') })} style={{ marginBottom: 12 }} />
              <Form.Item name="rectifyBy" label={t('places.inspect.rectifyBy')} extra={t('places.inspect.rectifyByHint')}>
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 240 }} data-testid="inspect-rectify-by" />
              </Form.Item>
            </>
          )}
        </Card>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="inspect-submit">
          {t('places.inspect.submit')}
        </Button>
      </Form>
    </div>
  );
}
