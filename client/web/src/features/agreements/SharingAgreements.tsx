export function SharingAgreements() { return <h1>SharingAgreements</h1>; }
