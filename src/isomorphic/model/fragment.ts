export * from '../../model/fragment.ts';
