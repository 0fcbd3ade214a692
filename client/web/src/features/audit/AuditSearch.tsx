export function AuditSearch() { return <h1>AuditSearch</h1>; }
