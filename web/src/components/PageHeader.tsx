import { useEffect, type ReactNode } from 'react';
import { Flex, Typography } from 'antd';

/** The title block every console page starts with. */
export function PageHeader({ title, subtitle, extra, breadcrumb }: { title: string; subtitle?: ReactNode; extra?: ReactNode; breadcrumb?: ReactNode }) {
  // The browser tab says where the user is too.
  useEffect(() => {
    document.title = `${title} · Bulwark`;
  }, [title]);
  return (
    <div style={{ marginBottom: 16 }}>
      {breadcrumb}
      <Flex justify="space-between" align="flex-end" gap={16} wrap>
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {subtitle && <Typography.Text type="secondary">{subtitle}</Typography.Text>}
        </div>
        {extra && (
          <Flex gap={8} wrap>
            {extra}
          </Flex>
        )}
      </Flex>
    </div>
  );
}
