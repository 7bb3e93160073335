import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Button, Card, Dropdown, Empty, Flex, Switch, Tag, Tree, Typography, type MenuProps } from 'antd';
import { DeleteOutlined, DragOutlined, EditOutlined, InboxOutlined, MoreOutlined, PlusOutlined, UndoOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { deleteUnit, updateUnit, type Unit } from '../../api/org';
import { forestOf, type UnitNode } from '../../components/unitTree';
import { useScope } from '../../state/scope';
import { MoveUnitModal, UnitFormModal } from './UnitModals';
import { useConfirmAction } from '../../components/useConfirmAction';

type Dialog = { kind: 'create' | 'edit' | 'move'; unit: Unit } | null;
interface TreeItem {
  key: number;
  title: ReactNode;
  children: TreeItem[];
}

/** The unit tree of the selected scope, with each unit's headcount and the actions its abilities allow. */
export function UnitTreePanel({ focusId, onFocus }: { focusId: number | null; onFocus(id: number): void }) {
  const { t } = useTranslation();
  const { units, unitId, reload } = useScope();
  const [showArchived, setShowArchived] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const forest = useMemo(() => forestOf(units, unitId), [units, unitId]);
  const [expanded, setExpanded] = useState<number[]>([]);

  // Open the top two levels whenever the scope changes.
  useEffect(() => setExpanded(forest.flatMap((n) => [n.unit.id, ...n.children.map((c) => c.unit.id)])), [forest]);

  const confirmThen = useConfirmAction(reload);

  const actionsOf = (u: Unit): MenuProps['items'] => {
    const a = u.abilities;
    const items: MenuProps['items'] = [];
    if (a.createChild && !u.archived) items.push({ key: 'create', icon: <PlusOutlined />, label: t('org.addChild') });
    if (a.update) items.push({ key: 'edit', icon: <EditOutlined />, label: t('org.editUnit') });
    if (a.move) items.push({ key: 'move', icon: <DragOutlined />, label: t('org.moveUnit') });
    if (a.archive) items.push(u.archived ? { key: 'restore', icon: <UndoOutlined />, label: t('org.restore') } : { key: 'archive', icon: <InboxOutlined />, label: t('org.archive') });
    if (a.delete) items.push({ type: 'divider' }, { key: 'delete', icon: <DeleteOutlined />, danger: true, label: t('org.deleteUnit') });
    return items;
  };

  const act = (u: Unit, key: string) => {
    if (key === 'create' || key === 'edit' || key === 'move') setDialog({ kind: key, unit: u });
    if (key === 'archive') confirmThen(t('org.confirmArchive', { name: u.name }), false, () => updateUnit(u.id, { archived: true }), t('org.unitArchived'));
    if (key === 'restore') confirmThen(t('org.confirmRestore', { name: u.name }), false, () => updateUnit(u.id, { archived: false }), t('org.unitRestored'));
    if (key === 'delete') confirmThen(t('org.confirmDelete', { name: u.name }), true, () => deleteUnit(u.id), t('org.unitDeleted'));
  };

  const toItems = (nodes: UnitNode[]): TreeItem[] =>
    nodes
      .filter((n) => showArchived || !n.unit.archived)
      .map(({ unit: u, children }) => {
        const items = actionsOf(u);
        return {
          key: u.id,
          children: toItems(children),
          title: (
            <Flex justify="space-between" align="center" gap={8} data-testid={`unit-node-${u.id}`}>
              <Typography.Text ellipsis type={u.archived ? 'secondary' : undefined} style={{ minWidth: 0 }}>
                {u.name}
                {u.archived && (
                  <Tag style={{ marginInlineStart: 6 }} variant="filled">
                    {t('org.archived')}
                  </Tag>
                )}
              </Typography.Text>
              <Flex align="center" gap={2} style={{ flex: 'none' }}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('org.headcount', { count: u.headcount ?? 0 })}
                </Typography.Text>
                {items && items.length > 0 && (
                  <Dropdown trigger={['click']} menu={{ items, onClick: ({ key, domEvent }) => (domEvent.stopPropagation(), act(u, key)) }}>
                    <Button type="text" size="small" icon={<MoreOutlined />} aria-label={t('org.unitActions')} data-testid={`unit-actions-${u.id}`} onClick={(e) => e.stopPropagation()} />
                  </Dropdown>
                )}
              </Flex>
            </Flex>
          ),
        };
      });
  const treeData = toItems(forest);

  return (
    <Card
      title={t('org.treeTitle')}
      size="small"
      extra={
        <Flex align="center" gap={6}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('org.showArchived')}
          </Typography.Text>
          <Switch size="small" checked={showArchived} onChange={setShowArchived} />
        </Flex>
      }
      styles={{ body: { padding: 8, maxHeight: 'calc(100vh - 150px)', overflow: 'auto' } }}
    >
      {treeData.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('org.treeEmpty')} />
      ) : (
        <Tree<TreeItem>
          blockNode
          showLine={{ showLeafIcon: false }}
          treeData={treeData}
          expandedKeys={expanded}
          onExpand={(keys) => setExpanded(keys as number[])}
          selectedKeys={focusId === null ? [] : [focusId]}
          onSelect={(keys) => keys[0] !== undefined && onFocus(Number(keys[0]))}
          data-testid="unit-tree"
        />
      )}
      {dialog && (dialog.kind === 'move' ? (
        <MoveUnitModal unit={dialog.unit} onClose={() => setDialog(null)} />
      ) : (
        <UnitFormModal mode={dialog.kind} unit={dialog.unit} onClose={() => setDialog(null)} onCreated={(u) => (setExpanded((e) => [...e, dialog.unit.id]), onFocus(u.id))} />
      ))}
    </Card>
  );
}
