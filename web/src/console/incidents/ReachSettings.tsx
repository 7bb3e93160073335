import { useEffect, useState } from 'react';
import { App, Button, Form, Select } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { getIncidentSettings, INCIDENT_SEVERITIES, putIncidentSettings, type IncidentReach, type IncidentSeverity } from '../../api/incidents';
import { useReportError } from '../../components/apiErrors';
import { FormModal } from '../../components/FormModal';

type Values = Record<IncidentSeverity, IncidentReach>;
const STEPS = [0, 1, 2, 3, 4, 5] as const;

/**
 * How high each severity must go (the group's command office, or so many levels above the unit),
 * for the holders of incidents.handle on the root: the button shows only when the server lets the
 * user read the setting. Incidents filed from then on follow it.
 */
export function ReachSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const [current, setCurrent] = useState<Values | null>(null);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    let live = true;
    getIncidentSettings().then(
      (s) => live && setCurrent(s.reach),
      () => live && setCurrent(null), // not theirs to set: no button
    );
    return () => {
      live = false;
    };
  }, []);

  if (!current) return null;
  const options = [{ value: 'root' as const, label: t('incidents.settings.root') }, ...STEPS.map((n) => ({ value: n, label: n === 0 ? t('incidents.settings.own') : t('incidents.settings.up', { n }) }))];
  return (
    <>
      <Button icon={<SettingOutlined />} onClick={() => setOpen(true)} data-testid="incident-settings">
        {t('incidents.settings.button')}
      </Button>
      <FormModal<Values>
        title={t('incidents.settings.title')}
        open={open}
        form={form}
        initialValues={current}
        onCancel={() => setOpen(false)}
        submitTestId="incident-settings-submit"
        onSubmit={async (v) => {
          try {
            const saved = await putIncidentSettings({ reach: v });
            setCurrent(saved.reach);
            setOpen(false);
            void message.success(t('incidents.settings.saved'));
          } catch (e) {
            report(e, { instance: form, fields: [...INCIDENT_SEVERITIES] });
            throw e;
          }
        }}
      >
        <p>{t('incidents.settings.hint')}</p>
        {INCIDENT_SEVERITIES.map((s) => (
          <Form.Item key={s} name={s} label={t(`incidents.severities.${s}`)} rules={[{ required: true, message: t('common.required') }]}>
            <Select options={options} style={{ width: 260 }} data-testid={`incident-settings-${s}`} />
          </Form.Item>
        ))}
      </FormModal>
    </>
  );
}
