export { decisionSnippet } from '../../content/decisions.ts';
