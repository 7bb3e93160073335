import { App } from 'antd';
import { useReportError } from './apiErrors';

/**
 * Ask before a change (archive, delete, disable…), run it, say it is done and refresh: or show the
 * server's refusal. One place for the confirm-run-report loop every list page needs.
 */
export function useConfirmAction(refresh: () => unknown) {
  const { modal, message } = App.useApp();
  const report = useReportError();
  return (content: string, danger: boolean, run: () => Promise<unknown>, done: string) =>
    modal.confirm({
      content,
      okButtonProps: { danger },
      onOk: async () => {
        try {
          await run();
          void message.success(done);
          await refresh();
        } catch (e) {
          report(e);
        }
      },
    });
}
