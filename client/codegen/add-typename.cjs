// Adds __typename to every selection of the web client's documents, as urql's normalised cache
// does to what it sends: the persisted documents (persisted-documents.json) must be exactly what
// the client would have sent, since the server runs them by hash.
const { addTypenameSelectionDocumentTransform } = require('@graphql-codegen/client-preset');

module.exports = { transform: addTypenameSelectionDocumentTransform.transform };
