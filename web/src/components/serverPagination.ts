import type { TablePaginationConfig } from 'antd';
import type { TFunction } from 'i18next';

export interface Paging {
  page: number;
  pageSize: number;
}

/** Pagination of a table whose pages come from the server: a new page size starts again at page 1. */
export function serverPagination(paging: Paging, setPaging: (p: Paging) => void, total: number, t: TFunction): TablePaginationConfig {
  return {
    current: paging.page,
    pageSize: paging.pageSize,
    total,
    showSizeChanger: true,
    pageSizeOptions: [20, 50, 100, 200],
    showTotal: (n) => t('common.total', { total: n }),
    onChange: (page, pageSize) => setPaging({ page: pageSize === paging.pageSize ? page : 1, pageSize }),
  };
}
