/** A Consul service as Consul's DNS interface names it: `[tag.]<service>.service[.<datacenter>].consul`. */
export interface ConsulServiceName {
  service: string;
  tag?: string;
  datacenter?: string;
}

/**
 * Reads `tenant-<uuid>-cfgmaster.service.dc1.consul` as service `tenant-<uuid>-cfgmaster` in `dc1`;
 * null for any other host name or address.
 */
export function parseConsulServiceName(host: string): ConsulServiceName | null {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.length < 3 || labels[labels.length - 1] !== 'consul') return null;
  const at = labels.lastIndexOf('service');
  const service = labels[at - 1];
  if (at < 1 || at < labels.length - 3 || !service) return null;
  const tag = at >= 2 ? labels.slice(0, at - 1).join('.') : undefined;
  const datacenter = at === labels.length - 3 ? labels[at + 1] : undefined;
  return { service, ...(tag && { tag }), ...(datacenter && { datacenter }) };
}
