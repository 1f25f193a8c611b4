// Edge.Actors.Gateway owns the gRPC API (and its HTTP/JSON view): request mapping, errors, tokens and roles,
// and the event watch; it runs co-hosted in a silo or alone as an Orleans client.
return 0;
