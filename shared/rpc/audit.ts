import { z } from 'zod';
import { AuditExport, AuditExportQuery, AuditListQuery, AuditRecord } from '../audit.js';
import { method } from './method.js';

/** The node's audit log of mutating calls: listed with filters, and exported as JSON lines. */
export const auditMethods = {
  'audit.list': method(
    AuditListQuery,
    z.array(AuditRecord),
    'Audit records of this node, newest first, by principal, method prefix, outcome and time.',
  ),
  'audit.export': method(
    AuditExportQuery,
    AuditExport,
    'The filtered audit records as JSON lines, oldest first, in chunks (ask again from nextAfter while more).',
  ),
} as const;
