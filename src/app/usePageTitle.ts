import { useEffect } from 'react';
import { PRODUCT_NAME } from '../../domain/product';

/** Each screen names itself in the tab and for screen readers announcing the page. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · ${PRODUCT_NAME}`;
  }, [title]);
}
