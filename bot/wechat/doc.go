// Package wechat speaks the passive-reply subset of the WeChat Official
// Account (公众号) message protocol: the URL signature, the server check that
// echoes echostr, the XML of incoming messages and of text replies, and the
// "safe mode" AES envelope. It is written on the standard library alone
// (research/engineering-anchors.md §6.2): the SDKs on offer pull in a large
// dependency tree for five XML fields and compare signatures with ==.
//
// The package knows nothing of the conversation engine. Handler takes a
// Replier function, so the engine can be plugged in once its API is settled.
//
// Why the protocol is shaped this way, and what follows for us:
//
//   - WeChat waits 5 seconds for the HTTP response, then drops the connection
//     and retries, three times in all. Handler therefore gives the Replier a
//     shorter deadline and answers "success" when it runs out, and DedupKey
//     names a delivery so that the engine can ignore the retries.
//   - The plain signature covers only token, timestamp and nonce, not the
//     body. Anyone who sees one signed request can post any body under it
//     while its timestamp is fresh. Safe mode signs the encrypted body as
//     well (msg_signature), so an account that handles job seekers' messages
//     should use it. With an EncodingAESKey configured, Handler accepts
//     nothing else.
//   - Nothing here logs, and no error built here carries message text or an
//     OpenID (research/reliability-performance.md A4 P6).
package wechat
