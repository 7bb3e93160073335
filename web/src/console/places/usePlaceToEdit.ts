import { useCallback, useState } from 'react';
import { getPlace, type PlaceDetail } from '../../api/places';
import { useReportError } from '../../components/apiErrors';

/** A list row has no checklist: fetch the place whole before its edit form opens. */
export function usePlaceToEdit() {
  const report = useReportError();
  const [place, setPlace] = useState<PlaceDetail | null>(null);
  const open = useCallback(
    (id: number) => {
      getPlace(id).then(setPlace, report);
    },
    [report],
  );
  const close = useCallback(() => setPlace(null), []);
  return { place, open, close };
}
