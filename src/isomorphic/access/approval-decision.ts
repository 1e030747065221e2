export * from '../../access/approval-decision.ts';
