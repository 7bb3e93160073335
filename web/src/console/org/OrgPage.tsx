import { useEffect, useState } from 'react';
import { Col, Row, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { useScope } from '../../state/scope';
import { PeoplePanel } from './PeoplePanel';
import { UnitTreePanel } from './UnitTreePanel';

/** 组织人员: the selected subtree on the left, the people of the focused unit's subtree on the right. */
export default function OrgPage() {
  const { t } = useTranslation();
  const { unitId, byId, loading } = useScope();
  const [focusId, setFocusId] = useState<number | null>(unitId);

  // A new scope from the header starts the page over at its top.
  useEffect(() => setFocusId(unitId), [unitId]);
  // A focused unit that vanished (deleted, or moved out of scope) hands focus back to the top.
  const focus = (focusId !== null ? byId.get(focusId) : undefined) ?? (unitId !== null ? byId.get(unitId) : undefined) ?? null;

  return (
    <>
      <PageHeader title={t('org.title')} subtitle={t('org.subtitle')} />
      {loading ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <Row gutter={16} wrap={false}>
          <Col flex="320px" style={{ minWidth: 0, position: 'sticky', top: 88, alignSelf: 'flex-start' }}>
            <UnitTreePanel focusId={focus?.id ?? null} onFocus={setFocusId} />
          </Col>
          <Col flex="auto" style={{ minWidth: 0 }}>
            <PeoplePanel unit={focus} />
          </Col>
        </Row>
      )}
    </>
  );
}
