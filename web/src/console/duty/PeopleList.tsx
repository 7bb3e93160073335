import { useState } from 'react';
import { Button, Flex, List, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, CloseOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { PersonSelect } from '../../components/PersonSelect';

export interface PickedPerson {
  id: number;
  name: string;
}

interface Props {
  value?: PickedPerson[];
  onChange?: (v: PickedPerson[]) => void;
  /** Offer the people of this unit's subtree. */
  unitId?: number;
  /** Show up/down buttons: the order is a rotation. */
  ordered?: boolean;
  max?: number;
  'data-testid'?: string;
}

/** An (ordered) list of people, added one by one from a search: a rotation list, a shift's officers. */
export function PeopleList({ value = [], onChange, unitId, ordered = false, max, 'data-testid': testId }: Props) {
  const { t } = useTranslation();
  const [picking, setPicking] = useState<number | undefined>(undefined);
  const set = (next: PickedPerson[]) => onChange?.(next);
  const move = (i: number, by: number) => {
    const next = [...value];
    const [p] = next.splice(i, 1);
    next.splice(i + by, 0, p!);
    set(next);
  };
  const full = max !== undefined && value.length >= max;
  return (
    <div data-testid={testId}>
      {value.length > 0 && (
        <List
          size="small"
          bordered
          style={{ marginBottom: 8 }}
          dataSource={value}
          renderItem={(p, i) => (
            <List.Item
              data-testid={testId ? `${testId}-item` : undefined}
              actions={[
                ...(ordered
                  ? [
                      <Tooltip key="up" title={t('duty.generate.moveUp')}>
                        <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} />
                      </Tooltip>,
                      <Tooltip key="down" title={t('duty.generate.moveDown')}>
                        <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={i === value.length - 1} onClick={() => move(i, 1)} />
                      </Tooltip>,
                    ]
                  : []),
                <Tooltip key="remove" title={t('duty.generate.remove')}>
                  <Button size="small" type="text" danger icon={<CloseOutlined />} onClick={() => set(value.filter((x) => x.id !== p.id))} data-testid={testId ? `${testId}-remove-${p.id}` : undefined} />
                </Tooltip>,
              ]}
            >
              <Typography.Text>
                {ordered && <Typography.Text type="secondary">{i + 1}. </Typography.Text>}
                {p.name}
              </Typography.Text>
            </List.Item>
          )}
        />
      )}
      {!full && (
        <Flex gap={8}>
          <PersonSelect
            unitId={unitId}
            value={picking}
            placeholder={t('duty.shift.pickPerson')}
            style={{ flex: 1 }}
            data-testid={testId ? `${testId}-pick` : undefined}
            onChange={(id, person) => {
              setPicking(undefined);
              if (id === undefined || !person || value.some((x) => x.id === id)) return;
              set([...value, { id, name: person.name }]);
            }}
          />
        </Flex>
      )}
    </div>
  );
}
