export * from '../../model/decision-policy.ts';
