import { Form, Input, Radio, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { openSupervisionFinding, type OverdueItem, type SupervisionFinding } from '../../api/supervision';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { PersonSelect } from '../../components/PersonSelect';
import { UnitPicker } from '../../components/UnitPicker';

interface Values {
  subject: 'unit' | 'person';
  unitId?: number;
  personId?: number;
  title: string;
  description: string;
}

const FIELDS = ['title', 'description', 'subject.unitId', 'subject.personId'] as const;

interface Props {
  open: boolean;
  /** Overdue items to link as evidence at once (立案 from the overdue view); none from the findings list. */
  evidence?: OverdueItem[];
  defaultUnitId: number | null;
  onClose(): void;
  onOpened(f: SupervisionFinding): void;
}

/** 立案: open a finding about a unit or a person, with the picked overdue items as its evidence. */
export function OpenFindingModal({ open, evidence = [], defaultUnitId, onClose, onOpened }: Props) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = Form.useForm<Values>();
  const subject = Form.useWatch('subject', form) ?? 'unit';
  // The people the items name: the usual subject of a finding about a person.
  const named = new Map(evidence.flatMap((i) => i.responsible.flatMap((r) => (r.personId === null ? [] : [[r.personId, r.name] as const]))));
  const units = new Set(evidence.map((i) => i.unitId));
  const unitDefault = units.size === 1 ? [...units][0] : (defaultUnitId ?? undefined);
  const personDefault = named.size === 1 ? [...named.keys()][0] : undefined;

  const submit = async (v: Values) => {
    try {
      const f = await openSupervisionFinding({
        subject: v.subject === 'unit' ? { kind: 'unit', unitId: v.unitId! } : { kind: 'person', personId: v.personId! },
        title: v.title.trim(),
        description: v.description.trim(),
        ...(evidence.length > 0 && { evidence: evidence.map((i) => i.ref) }),
      });
      onOpened(f);
    } catch (e) {
      report(e, { instance: form, fields: FIELDS });
      throw e;
    }
  };

  return (
    <FormModal<Values>
      title={t('supervision.open.title')}
      open={open}
      form={form}
      onCancel={onClose}
      onSubmit={submit}
      submitText={t('supervision.open.submit')}
      submitTestId="finding-open-submit"
      width={640}
      initialValues={{ subject: 'unit', unitId: unitDefault, personId: personDefault, title: evidence.length === 1 ? evidence[0]!.title : '' }}
    >
      {evidence.length > 0 && (
        <Typography.Paragraph type="secondary" data-testid="finding-open-evidence">
          {t('supervision.open.evidence', { n: evidence.length })}
          <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
            {evidence.slice(0, 5).map((i) => (
              <li key={`${i.ref.kind}|${i.ref.id}`}>{`${i.unitName} · ${i.title}`}</li>
            ))}
            {evidence.length > 5 && <li>…</li>}
          </ul>
        </Typography.Paragraph>
      )}
      <Form.Item name="subject" label={t('supervision.findings.subject')}>
        <Radio.Group
          options={[
            { value: 'unit', label: <span data-testid="finding-subject-unit">{t('supervision.subjects.unit')}</span> },
            { value: 'person', label: <span data-testid="finding-subject-person">{t('supervision.subjects.person')}</span> },
          ]}
        />
      </Form.Item>
      {subject === 'unit' ? (
        <Form.Item name="unitId" label={t('supervision.unit')} rules={[{ required: true, message: t('common.required') }]}>
          <UnitPicker data-testid="finding-unit" />
        </Form.Item>
      ) : named.size > 0 ? (
        <Form.Item name="personId" label={t('supervision.findings.person')} rules={[{ required: true, message: t('common.required') }]}>
          <Select data-testid="finding-person" options={[...named].map(([id, name]) => ({ value: id, label: name }))} />
        </Form.Item>
      ) : (
        <Form.Item name="personId" label={t('supervision.findings.person')} rules={[{ required: true, message: t('common.required') }]}>
          <PersonSelect data-testid="finding-person" />
        </Form.Item>
      )}
      <Form.Item name="title" label={t('supervision.findings.titleField')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]}>
        <Input data-testid="finding-title" maxLength={200} />
      </Form.Item>
      <Form.Item name="description" label={t('supervision.findings.description')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 5000 }]}>
        <Input.TextArea data-testid="finding-description" rows={4} maxLength={5000} />
      </Form.Item>
    </FormModal>
  );
}
