package dev.vask.realtime.fanout;

class LocalBusTests extends BusContractTests {

    @Override
    protected Bus createBus(LocalDelivery delivery) {
        return new LocalBus(delivery);
    }
}
