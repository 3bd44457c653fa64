import { ALL_CONNECTORS } from '@app/connectors';
import { isSecretKey } from '../common/redact';

// Audit records and logs mask request bodies by key name; a secret config field whose name the
// mask does not know would be written in clear whenever it is sent in a request.
describe('secret config fields', () => {
  it.each(ALL_CONNECTORS.flatMap((d) => d.configSpec.filter((f) => f.secret).map((f) => [d.type, f.name])))(
    '%s.%s is masked by name in audit records',
    (_type, name) => {
      expect(isSecretKey(name)).toBe(true);
    },
  );
});
