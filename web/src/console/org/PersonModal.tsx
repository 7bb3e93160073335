import { App, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { PersonCreate, type Person, type Unit } from '../../../../common/schemas/org.js';
import { createPerson, updatePerson } from '../../api/org';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';
import { builtinTagOptions } from '../../components/labels';
import { UnitPicker } from '../../components/UnitPicker';
import { emptyToNull, zodRule } from '../../components/zodRule';

interface Values {
  name: string;
  employeeNo: string;
  unitId: number;
  phone?: string | null;
  title?: string | null;
  tags: string[];
}
const FIELDS = ['name', 'employeeNo', 'unitId', 'phone', 'title', 'tags'] as const;

const sameTags = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Add a person to `unit`, or edit `person`; an edit sends only what changed (a masked phone is never sent back). */
export function PersonModal({ unit, person, onClose, onSaved }: { unit: Unit; person?: Person; onClose(): void; onSaved(): Promise<void> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const report = useReportError();
  const initial: Partial<Values> = person
    ? { name: person.name, employeeNo: person.employeeNo, unitId: person.unitId, phone: person.phone, title: person.title, tags: person.tags }
    : { unitId: unit.id, tags: [] };

  const submit = async (v: Values) => {
    const tags = (v.tags ?? []).map((s) => s.trim()).filter(Boolean);
    try {
      if (!person) {
        const phone = emptyToNull(v.phone);
        await createPerson({ name: v.name.trim(), employeeNo: v.employeeNo.trim(), unitId: v.unitId, title: emptyToNull(v.title), tags, ...(phone ? { phone } : {}) });
        void message.success(t('people.created'));
      } else {
        const phone = emptyToNull(v.phone);
        const title = emptyToNull(v.title);
        const patch = {
          ...(v.name.trim() !== person.name ? { name: v.name.trim() } : {}),
          ...(v.employeeNo.trim() !== person.employeeNo ? { employeeNo: v.employeeNo.trim() } : {}),
          ...(phone !== person.phone ? { phone } : {}),
          ...(title !== person.title ? { title } : {}),
          ...(!sameTags(tags, person.tags) ? { tags } : {}),
        };
        if (Object.keys(patch).length > 0) await updatePerson(person.id, patch);
        void message.success(t('people.saved'));
      }
      await onSaved();
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: FIELDS });
      throw e;
    }
  };

  const required = { required: true, message: t('common.required') };
  // A masked number (138****5678) comes back unchanged and is then not sent, so it need not validate.
  const phoneRule = zodRule(PersonCreate.shape.phone, t('people.phoneInvalid'), (v) => person !== undefined && v === person.phone);
  return (
    <FormModal
      title={person ? t('people.editTitle', { name: person.name }) : t('people.createTitle')}
      open
      form={form}
      initialValues={initial}
      onCancel={onClose}
      onSubmit={submit}
      submitTestId="person-form-submit"
    >
      <Form.Item name="name" label={t('people.name')} rules={[required, zodRule(PersonCreate.shape.name)]}>
        <Input autoFocus maxLength={60} data-testid="person-form-name" />
      </Form.Item>
      <Form.Item name="employeeNo" label={t('people.employeeNo')} rules={[required, zodRule(PersonCreate.shape.employeeNo, t('people.employeeNoInvalid'))]}>
        <Input maxLength={40} data-testid="person-form-employee-no" />
      </Form.Item>
      {!person && (
        <Form.Item name="unitId" label={t('people.unit')} rules={[required]}>
          <UnitPicker data-testid="person-form-unit" />
        </Form.Item>
      )}
      <Form.Item name="phone" label={t('people.phone')} rules={[phoneRule]}>
        <Input maxLength={20} data-testid="person-form-phone" />
      </Form.Item>
      <Form.Item name="title" label={t('people.jobTitle')} rules={[zodRule(PersonCreate.shape.title)]}>
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item name="tags" label={t('people.tags')}>
        <Select mode="tags" placeholder={t('people.tagsPlaceholder')} options={builtinTagOptions(t)} tokenSeparators={[',', '，']} maxCount={20} data-testid="person-form-tags" />
      </Form.Item>
    </FormModal>
  );
}

/** Move a person to another unit in the user's scope. */
export function TransferModal({ person, onClose, onSaved }: { person: Person; onClose(): void; onSaved(): Promise<void> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ unitId: number }>();
  const { message } = App.useApp();
  const report = useReportError();
  const submit = async (v: { unitId: number }) => {
    try {
      if (v.unitId !== person.unitId) await updatePerson(person.id, { unitId: v.unitId });
      void message.success(t('people.transferred'));
      await onSaved();
      onClose();
    } catch (e) {
      report(e, { instance: form, fields: ['unitId'] });
      throw e;
    }
  };
  return (
    <FormModal title={t('people.transferTitle', { name: person.name })} open form={form} initialValues={{ unitId: person.unitId }} onCancel={onClose} onSubmit={submit}>
      <Form.Item name="unitId" label={t('people.transferTarget')} rules={[{ required: true, message: t('common.required') }]}>
        <UnitPicker data-testid="person-transfer-unit" />
      </Form.Item>
    </FormModal>
  );
}
