import { parseConsulServiceName } from '../consul-service-name';

const SERVICE = 'tenant-9350e2fc-0000-4000-8000-000000000001-cfgmaster';

describe('parseConsulServiceName', () => {
  it('reads the product’s Consul names and nothing else', () => {
    expect(parseConsulServiceName(`${SERVICE}.service.dc1.consul`)).toEqual({ service: SERVICE, datacenter: 'dc1' });
    expect(parseConsulServiceName('cfg.service.consul')).toEqual({ service: 'cfg' });
    expect(parseConsulServiceName('primary.cfg.service.dc2.consul')).toEqual({
      service: 'cfg',
      tag: 'primary',
      datacenter: 'dc2',
    });
    expect(parseConsulServiceName('172.24.132.84')).toBeNull();
    expect(parseConsulServiceName('cfg.example.com')).toBeNull();
    expect(parseConsulServiceName('service.consul')).toBeNull();
  });
});
