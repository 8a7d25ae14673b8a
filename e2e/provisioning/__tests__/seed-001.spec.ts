import { extractCurlCommands, loadSeedCommands, removeCallouts, substitute } from '../seed-001';

const values = {
  baseUrl: 'http://127.0.0.1:8080',
  cluster: 'example.com',
  contactCenterId: 'c0ffee00-0000-4000-8000-000000000001',
  environmentId: 'c0ffee00-0000-4000-8000-000000000002',
  domain: 't100',
  clientSecret: 's3cret',
  accessToken: 'tok-123',
  readOnly: false,
  corsOrigins: ['https://wwe.example.com', 'https://gws.example.com'],
};

function jsonBody(command: string): unknown {
  const match = /--data(?:-raw)? '([\s\S]*)'\s*$/.exec(command);
  return match ? JSON.parse(match[1]!) : undefined;
}

describe('seed 001 commands', () => {
  const commands = loadSeedCommands();

  it('finds the six curl commands of the document, in order', () => {
    expect(commands.map((command) => command.title)).toEqual([
      'Create a new API Client',
      'Create an authentication token',
      'Add a Genesys tenant/environment',
      'Add a contact center',
      'Add a data center',
      'Update CORS settings (optional)',
    ]);
  });

  it('after removing the callouts and substituting, every JSON body parses and keeps the document’s fields', () => {
    const prepared = commands.map((command) => substitute(removeCallouts(command.raw), values));
    expect(jsonBody(prepared[0]!)).toMatchObject({
      data: { client_id: 'external_api_client', client_secret: '', authorities: ['ROLE_INTERNAL_CLIENT'] },
    });
    expect(prepared[1]).toContain(
      "--user external_api_client:s3cret --request POST 'http://127.0.0.1:8080/auth/v3/oauth/token'",
    );
    expect(prepared[1]).toContain("--data-urlencode 'grant_type=password'");
    expect(jsonBody(prepared[2]!)).toEqual({
      data: {
        id: values.contactCenterId,
        username: 'default',
        password: 'password',
        connectionProtocol: 'addp',
        remoteTimeout: 7,
        appName: 'Cloud',
        traceMode: 'CFGTMBoth',
        tlsEnabled: false,
        configServers: [{ primaryPort: 2020, readOnly: false, primaryAddress: '172.24.132.84', locations: '/USW1' }],
        localTimeout: 5,
        tenant: 'Environment',
      },
    });
    expect(prepared[2]).toContain("--header 'Authorization: Bearer tok-123'");
    expect(jsonBody(prepared[3]!)).toEqual({
      data: {
        domains: ['t100'],
        environmentId: values.environmentId,
        auth: 'configServer',
        id: values.contactCenterId,
      },
    });
    expect(jsonBody(prepared[4]!)).toEqual({
      data: { location: '/usw1', entryPoint: 'http://127.0.0.1:8080', readOnly: false },
    });
    expect(prepared[4]).toContain('--user ops:ops');
    expect(jsonBody(prepared[5]!)).toEqual({
      data: {
        location: '/',
        name: 'cors-origins',
        shared: 'true',
        value: 'https://wwe.example.com,https://gws.example.com',
      },
    });
    expect(prepared[5]).toContain(`/environment/v3/contact-centers/${values.contactCenterId}/settings`);
  });

  it("puts the installation's ops credentials where the document has its default ops:ops", () => {
    const ops = { username: 'admin', password: 'long-ops-password' };
    const prepared = commands.map((command) => substitute(removeCallouts(command.raw), { ...values, ops }));
    const text = prepared.join('\n');
    expect(text).not.toContain('ops:ops');
    expect(prepared[0]).toContain('--user admin:long-ops-password ');
    expect(prepared[1]).toContain("'username=admin'");
    expect(prepared[1]).toContain("'password=long-ops-password'");
  });

  it('leaves no placeholder behind', () => {
    for (const command of commands) {
      expect(substitute(removeCallouts(command.raw), values)).not.toMatch(/<[A-Za-z_-]+[^>]*>|-{3,}|false\/true/);
    }
  });

  it('keeps multi-line quoted bodies with blank lines inside one command', () => {
    const text = "Title\ncurl -X POST 'u' \\\n \n--data-raw '{\n\n\"a\": 1\n}'\nafter";
    const [command] = extractCurlCommands(text);
    expect(command!.raw.split('\n')).toHaveLength(6);
    expect(removeCallouts(command!.raw)).toBe("curl -X POST 'u' \\\n--data-raw '{\n\"a\": 1\n}'");
  });
});
