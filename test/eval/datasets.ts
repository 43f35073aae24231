/** The evaluation reads labelled files with the same reader as the training command. */
export { loadRows, type LabelledRow } from '../../shared/adapters/csv/labelled-rows.ts';
