/** HTTP client of the help API (guide-routes.ts): the per-person first-run tour flag. */
import type { TourStateView as TourState } from '../../server/api-types.ts';
import { request } from '../api.ts';

export const helpApi = {
  tourState: () => request<TourState>('GET', '/api/me/help'),
  setTourDismissed: (tourDismissed: boolean) => request<TourState>('PUT', '/api/me/help', { tourDismissed }),
};
