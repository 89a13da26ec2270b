/** The smallest config the stand-in Envoy serves: an admin address and one HTTP listener, on loopback. */
export function envoyConfig({
  adminPort,
  listenerPort,
  tag = 'v1',
}: {
  adminPort: number;
  listenerPort: number;
  tag?: string;
}): string {
  return `${JSON.stringify(
    {
      admin: { address: { socket_address: { address: '127.0.0.1', port_value: adminPort } } },
      static_resources: {
        listeners: [
          {
            name: `inbound_${tag}`,
            address: { socket_address: { address: '127.0.0.1', port_value: listenerPort } },
          },
        ],
      },
    },
    null,
    2,
  )}\n`;
}
