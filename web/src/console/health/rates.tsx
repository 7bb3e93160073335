import { Tag, Typography } from 'antd';

/** A share as a percentage with one decimal, or a dash when there is nothing to divide by. */
export const percent = (share: number | null): string => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);

/** The colour of a rate: from 95 % green, from 80 % orange, below that red. */
export const rateColour = (share: number): 'success' | 'warning' | 'error' => (share >= 0.95 ? 'success' : share >= 0.8 ? 'warning' : 'error');

export function Rate({ share, testId }: { share: number | null; testId?: string }) {
  if (share === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tag color={rateColour(share)} data-testid={testId} style={{ minWidth: 64, textAlign: 'center' }}>
      {percent(share)}
    </Tag>
  );
}
