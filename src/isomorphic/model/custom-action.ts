export * from '../../model/custom-action.ts';
