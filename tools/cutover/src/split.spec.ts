import { frontendConfig } from '../test/renderer-double';
import { definedClusters, describeSplit, routedServices, serviceOfCluster, splitFor, splitOf } from './split';

const config = JSON.parse(frontendConfig({ 'pinger-v1': 95, 'pinger-v2': 5 }));

it('reads the weighted split, not the header-pinned routes', () => {
  expect(splitOf(config, 'pinger')).toEqual({ 'pinger-v1': 95, 'pinger-v2': 5 });
  expect(splitOf(config, 'details')).toEqual({ details: 100 });
});

it('normalises weights that do not sum to 100 into percent', () => {
  const odd = JSON.parse(frontendConfig({ 'pinger-v1': 1, 'pinger-v2': 3 }));
  expect(splitOf(odd, 'pinger')).toEqual({ 'pinger-v1': 25, 'pinger-v2': 75 });
});

it('names the services it knows when asked for another', () => {
  expect(routedServices(config)).toEqual(['details', 'pinger']);
  expect(() => splitOf(config, 'cart')).toThrow(
    "the frontend's Envoy config routes to no service 'cart' (it routes to: details, pinger)",
  );
});

it('lists defined clusters and builds and describes splits', () => {
  expect(definedClusters(config)).toEqual(['pinger-v1', 'pinger-v2', 'details']);
  expect(serviceOfCluster('pinger-v12')).toBe('pinger');
  expect(splitFor('pinger-v1', 'pinger-v2', 25)).toEqual({ 'pinger-v1': 75, 'pinger-v2': 25 });
  expect(describeSplit({ 'pinger-v2': 5, 'pinger-v1': 95 })).toBe('pinger-v1 95% / pinger-v2 5%');
});
