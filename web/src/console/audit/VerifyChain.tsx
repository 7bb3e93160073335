import { useState } from 'react';
import { App, Button } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { verifyAudit } from '../../api/audit';
import { useReportError } from '../../components/apiErrors';

/** Walk the hash chain on the server and say whether it holds, or where it first breaks. */
export function VerifyChain() {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const report = useReportError();
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    try {
      const r = await verifyAudit();
      if (r.ok) modal.success({ title: t('audit.verifyOk', { n: r.checked }) });
      else
        modal.error({
          title: t('audit.verifyBad', { id: r.firstBadId ?? '?' }),
          content: [r.reason, t('audit.verifyChecked', { n: r.checked })].filter(Boolean).join(' · '),
        });
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<SafetyCertificateOutlined />} loading={busy} onClick={verify} data-testid="audit-verify">
      {t('audit.verify')}
    </Button>
  );
}
