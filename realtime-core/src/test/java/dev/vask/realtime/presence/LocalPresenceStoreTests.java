package dev.vask.realtime.presence;

class LocalPresenceStoreTests extends PresenceStoreContractTests {

    @Override
    protected PresenceStore createStore() {
        return new LocalPresenceStore();
    }
}
