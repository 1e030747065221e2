export * from '../../model/rule-set.ts';
