import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';

function Fallback() {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('boundary.title')}
      subTitle={t('boundary.desc')}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('boundary.reload')}
        </Button>
      }
    />
  );
}

/** A render error shows a friendly page instead of a blank one; the details go to the console. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Render error', error, info.componentStack);
  }
  override render() {
    return this.state.failed ? <Fallback /> : this.props.children;
  }
}
