/** True when an @azure/cosmos error carries this HTTP status (404 missing, 409 exists, 412 changed meanwhile). */
export function isCosmosStatus(error: unknown, status: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === status;
}
